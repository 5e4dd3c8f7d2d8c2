namespace Evaluation.Simulator;

/// <summary>What a rater adds to a level: reason tags, a comment, and, when rating by real name, invented contact details.</summary>
internal static class RaterVoice
{
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "林", "郑"];
    private static readonly string[] GivenNames = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "婷", "杰", "军", "晓明", "志强", "海燕"];
    private static readonly string[] ComplaintTags = ["slow", "attitude", "unclear-guidance", "repeat-visits"];

    private static readonly string[][] Comments =
    [
        ["工作人员态度差，问题没有解决", "来回跑了三次还没办成"],
        ["等待时间太长，材料要求说明不清楚", "电话一直占线，回复很慢"],
        ["基本满意，流程说明可以更清楚", "办理还行，就是排队久了点"],
        ["整体满意，等候时间稍长", "咨询解答比较清楚"],
        ["办事效率高，工作人员很耐心", "检索指导专业，非常感谢"],
    ];

    public static IReadOnlyList<string>? Tags(int level, Random random)
    {
        var chance = level <= 2 ? 0.7 : level == 3 ? 0.3 : 0;
        if (random.NextDouble() >= chance)
        {
            return null;
        }

        var first = random.Pick(ComplaintTags);
        var second = random.Pick(ComplaintTags);
        return first == second ? [first] : [first, second];
    }

    public static string? Comment(int level, Random random) =>
        random.NextDouble() < (level <= 2 ? 0.4 : 0.15) ? random.Pick(Comments[level - 1]) : null;

    /// <summary>A made-up person: common name parts and a number in the 1990000xxxx block, never a real rater.</summary>
    public static Contact Contact(Random random) =>
        new(random.Pick(Surnames) + random.Pick(GivenNames), "1990000" + random.Next(10_000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture));
}
