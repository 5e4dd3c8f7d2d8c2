namespace Evaluation.Domain.Comments;

/// <summary>
/// One thing 差评 complain about. <see cref="Id"/> is what the log and the tallies keep, so it never changes;
/// labels may. <see cref="Words"/> are matched against the comment's words as jieba segments them (and added to
/// jieba's dictionary, so a phrase such as 一次性告知 stays one word); <see cref="StrongWords"/> count double,
/// being about this topic whatever else the comment says. <see cref="Tags"/> are the reason tags that name it.
/// </summary>
public sealed record CommentTopic(
    string Id,
    string Label,
    string EnglishLabel,
    IReadOnlyList<string> StrongWords,
    IReadOnlyList<string> Words,
    IReadOnlyList<string> Tags);

/// <summary>Our own small lexicon of 差评 topics for IP public services (窗口、网上平台、热线).</summary>
public static class TopicLexicon
{
    /// <summary>A 差评 that names no topic, so every 差评 is counted somewhere and shares add up honestly.</summary>
    public const string Other = "other";

    public static IReadOnlyList<CommentTopic> Topics { get; } =
    [
        new("waiting", "等待时间长", "Long waits",
            ["排队", "排长队", "队伍", "等候", "等了", "等得", "干等", "等待时间", "叫号", "取号", "叫到", "轮到", "排到", "排了", "半天", "一上午", "一下午", "几个小时", "两个小时", "一个小时", "钟头"],
            ["等", "等待", "久", "太久", "很久", "好久", "慢", "太慢", "很慢", "人多", "窗口少", "只开", "时间长", "耗时", "效率", "小时", "一天", "下班"],
            ["slow", "waiting", "long-wait", "等待时间长", "排队"]),
        new("attitude", "态度差", "Poor attitude",
            ["态度", "不耐烦", "爱理不理", "冷漠", "敷衍", "推诿", "推脱", "推来推去", "踢皮球", "甩脸", "脸色", "冷着脸", "冷冰冰", "翻白眼", "不理", "不搭理", "没人理",
                "傲慢", "摆架子", "训斥", "难听", "恶劣", "阴阳怪气", "服务意识", "脾气", "不友善", "吵架", "头都不抬", "爱办不办", "应付"],
            ["凶", "语气", "生硬", "不礼貌", "不客气", "玩手机", "聊天", "呵斥", "说话", "耐心"],
            ["attitude", "rude", "态度差"]),
        new("materials", "材料反复提交/一次告知不到位", "Documents asked for again, not told all at once",
            ["一次性告知", "一次告知", "一次说完", "一次讲清楚", "来回跑", "跑了", "白跑", "跑一趟", "反复", "补交", "补充", "补材料", "重新提交", "重新签", "多次提交", "退回", "退件",
                "打回", "补正", "跑腿", "折腾", "几趟", "三趟", "好几趟", "又让", "又要", "又说"],
            ["材料", "资料", "证明", "复印件", "原件", "公证", "重复", "再来", "三次", "两次", "好几次", "多次", "缺", "三遍", "几遍", "请假", "格式"],
            ["repeat-visits", "materials", "材料反复提交", "一次告知不到位"]),
        new("system", "系统故障/网上平台", "System faults, online platform",
            ["系统", "网站", "平台", "网页", "页面", "登录", "登陆", "登不进", "崩溃", "崩了", "卡顿", "闪退", "验证码", "上传", "掉线", "报错", "打不开", "故障", "死机", "小程序",
                "app", "服务器", "网络", "认证", "刷脸", "转圈", "电脑", "按钮", "没反应", "自动退出", "下载"],
            ["卡", "无法", "提交不了", "加载", "刷新", "电子", "网上", "线上", "在线", "失败", "升级", "维护", "数据", "提示"],
            ["system", "online", "system-fault", "系统故障", "网上平台"]),
        new("process", "流程复杂", "Complicated procedure",
            ["流程复杂", "手续繁琐", "繁琐", "繁杂", "麻烦", "复杂", "环节", "手续多", "签字", "签名", "盖章", "表格", "审批", "层级", "部门", "简化"],
            ["流程", "手续", "步骤", "程序", "规定", "不合理", "填", "张表", "道"],
            ["complicated", "process", "流程复杂"]),
        new("fees", "收费", "Fees",
            ["收费", "费用", "乱收费", "多收", "缴费", "交费", "交钱", "付费", "贵", "价格", "退费", "年费", "代理费", "服务费", "加急费", "滞纳金", "免费", "减缓", "收据", "发票", "冤枉钱"],
            ["钱", "元", "块钱", "费", "现金", "花", "冤枉"],
            ["fees", "charges", "收费"]),
        new("overdue", "办理超时", "Handling past its time limit",
            ["超时", "超期", "逾期", "时限", "期限", "迟迟", "拖", "拖延", "拖了", "拖拖拉拉", "进度", "进展", "动静", "至今", "到现在", "还没办好", "没办完", "还没下来", "没有结果",
                "没下文", "石沉大海", "承诺", "晚了", "半年", "受理中", "等通知", "工作日"],
            ["个月", "几个月", "一个月", "几周", "两周", "第四周", "多天", "还没", "仍未", "审查", "审核", "证书", "消息", "催", "结果"],
            ["overdue", "late", "办理超时"]),
        new("facilities", "环境设施", "Premises and facilities",
            ["环境", "设施", "停车", "停车位", "座位", "空调", "厕所", "卫生间", "打印机", "复印机", "取号机", "自助机", "设备", "无障碍", "电梯", "指示牌", "饮水机", "充电", "卡纸",
                "大厅", "站着", "公交", "冻"],
            ["脏", "乱", "热", "冷", "挤", "吵", "坏了", "找不到", "位置", "偏", "门", "场地", "地方"],
            ["facilities", "environment", "环境设施"]),
        new("guidance", "咨询解答不清", "Unclear or wrong advice",
            ["解释不清", "说不清", "答非所问", "不专业", "一问三不知", "说法", "口径", "说明不清", "讲不清", "指导", "指引", "解答", "咨询", "搞不清", "听不明白", "不明白", "含糊",
                "模糊", "不熟", "回答不上来", "说错"],
            ["不清楚", "说明", "告知", "解释", "回答", "业务", "培训", "不一致", "误导", "错误", "错的", "政策", "建议", "驳回", "填错"],
            ["unclear-guidance", "guidance", "咨询解答不清"]),
        new("hotline", "热线难打通/回复慢", "Hotline hard to reach, slow replies",
            ["热线", "占线", "打不通", "打不进", "没人接", "无人接听", "电话", "转人工", "回电", "回复", "留言", "忙音", "正忙", "空号", "接通", "客服", "邮件", "机器人", "12345"],
            ["接听", "挂断", "挂了", "人工", "拨打"],
            ["hotline", "unreachable", "热线难打通"]),
    ];

    private static readonly Dictionary<string, CommentTopic> ById = Topics.ToDictionary(t => t.Id, StringComparer.Ordinal);

    /// <summary>The topic of an id, or null for <see cref="Other"/> and ids no longer in the lexicon.</summary>
    public static CommentTopic? Find(string id) => ById.GetValueOrDefault(id);

    public static string Label(string id) => Find(id)?.Label ?? "其他";

    public static string EnglishLabel(string id) => Find(id)?.EnglishLabel ?? "Other";
}
