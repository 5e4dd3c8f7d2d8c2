namespace Evaluation.Simulator;

/// <summary>What a rater says with a level: reason tags and a comment, and for a 差评 the cause the simulator meant.</summary>
internal sealed record Voice(IReadOnlyList<string>? Tags, string? Comment, string? Cause);

/// <summary>What a rater adds to a level: reason tags, a comment, and, when rating by real name, invented contact details.</summary>
internal static class RaterVoice
{
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "林", "郑"];
    private static readonly string[] GivenNames = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "婷", "杰", "军", "晓明", "志强", "海燕"];

    /// <summary>
    /// Why a 差评 rater is unhappy, how often (weights), the tag a source would send for it, and the ways raters put
    /// it. The cause is the label of the topic measurement (tests/Evaluation.Simulator.Tests), so the phrasings are
    /// written as raters write, not from the topic lexicon.
    /// </summary>
    internal static readonly (string Cause, int Weight, string Tag, string[] Comments)[] Complaints =
    [
        ("waiting", 30, "slow",
        [
            "排了两个多小时的队才轮到我", "取号后等了一上午", "窗口只开了一个，后面排了很长的队", "等候时间太长了",
            "叫号太慢，等得人心烦", "人太多了，等了很久才办上", "前面就三个人也等了一个小时", "午休后窗口迟迟不开，白白等着",
        ]),
        ("attitude", 20, "attitude",
        [
            "工作人员态度差，问题没有解决", "问了两句就不耐烦了", "窗口人员爱理不理的", "说话很冲，像是我欠他的",
            "一直低头玩手机，叫了几声才抬头", "被推来推去，谁都说不归他管", "态度冷漠，脸色难看", "回答问题很敷衍",
        ]),
        ("materials", 15, "repeat-visits",
        [
            "来回跑了三次还没办成", "第一次没说清楚，又让我回去补材料", "材料交了又被退回来，要求每次都不一样",
            "没有一次性告知需要哪些资料", "每次来都说缺一份证明", "复印件交了三遍", "同一份材料让我重复提交",
        ]),
        ("system", 10, "system",
        [
            "网上平台登录不上去", "系统一直卡着，提交不了", "上传附件老是失败", "网站打不开，只能跑现场",
            "验证码收不到，注册不了", "小程序闪退，填的内容全没了", "现场说系统故障，让改天再来",
        ]),
        ("hotline", 10, "hotline",
        [
            "电话一直占线，回复很慢", "热线打了十几次都没人接", "留言三天了没人回电", "转人工要等半小时",
            "电话打过去直接挂断了",
        ]),
        ("overdue", 8, "overdue",
        [
            "过了承诺的时限还没办完", "一个多月了还没有结果", "说好五个工作日，到现在没动静", "进度一直查不到，拖了很久",
        ]),
        ("guidance", 7, "unclear-guidance",
        [
            "咨询了几个人说法都不一样", "问的问题答非所问", "业务不熟，解释不清楚", "按他说的填，结果填错了",
        ]),
    ];

    /// <summary>Openings and endings a rater puts around the complaint.</summary>
    private static readonly string[] Openings = ["", "", "", "今天来办专利业务，", "办商标变更，", "这次办事，", "说实话，"];
    private static readonly string[] Endings = ["", "", "", "，希望改进", "，太失望了", "。", "！", "，建议整改"];

    /// <summary>Comments of levels 3, 4 and 5.</summary>
    private static readonly string[][] OtherComments =
    [
        ["基本满意，流程说明可以更清楚", "办理还行，就是排队久了点"],
        ["整体满意，等候时间稍长", "咨询解答比较清楚"],
        ["办事效率高，工作人员很耐心", "检索指导专业，非常感谢"],
    ];

    private static readonly string[] OtherTags = ["slow", "attitude", "unclear-guidance", "repeat-visits"];

    public static Voice Speak(int level, Random random)
    {
        if (level > 2)
        {
            var tags = level == 3 && random.NextDouble() < 0.3 ? new[] { random.Pick(OtherTags) } : null;
            var comment = random.NextDouble() < 0.15 ? random.Pick(OtherComments[level - 3]) : null;
            return new Voice(tags, comment, null);
        }

        var (cause, _, tag, comments) = PickComplaint(random);
        return new Voice(
            random.NextDouble() < 0.7 ? [tag] : null,
            random.NextDouble() < 0.4 ? random.Pick(Openings) + random.Pick(comments) + random.Pick(Endings) : null,
            cause);
    }

    /// <summary>A made-up person: common name parts and a number in the 1990000xxxx block, never a real rater.</summary>
    public static Contact Contact(Random random) =>
        new(random.Pick(Surnames) + random.Pick(GivenNames), "1990000" + random.Next(10_000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture));

    private static (string Cause, int Weight, string Tag, string[] Comments) PickComplaint(Random random)
    {
        var draw = random.Next(Complaints.Sum(c => c.Weight));
        foreach (var complaint in Complaints)
        {
            draw -= complaint.Weight;
            if (draw < 0)
            {
                return complaint;
            }
        }

        return Complaints[^1];
    }
}
