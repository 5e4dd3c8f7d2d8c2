using System.Globalization;
using Evaluation.Contracts.Detection;
using Evaluation.Contracts.Measures;
using Evaluation.Domain.Comments;

namespace Evaluation.Detection;

/// <summary>Turns a measure into the sentence a supervisor reads, Chinese first.</summary>
public static class Explanations
{
    /// <summary>The measure name of the comment-topic line (<see cref="Topics"/>); its value is the top topic's share.</summary>
    public const string TopicMeasure = "commentTopics";

    public static ExplanationLine Line(Measure measure, FeatureWindow window, double value, double? peerMedian) =>
        new(Measures.Name(measure), value, peerMedian, FeatureWindows.Name(window), Text(measure, window, value, peerMedian));

    /// <summary>A sudden drop compares with the institution's own past as well as with its peers.</summary>
    public static ExplanationLine Drop(FeatureWindow window, double value, double ownBaseline, double? peerMedian) =>
        new(Measures.Name(Measure.BadRate), value, peerMedian, FeatureWindows.Name(window),
            $"{FeatureWindows.Label(window)}差评率 {Percent(value)}，本机构此前28天 {Percent(ownBaseline)}"
            + (peerMedian is { } median ? $"，同类机构中位数 {Percent(median)}" : ""));

    public static ExplanationLine Expected(double actual, double expected, double? peerMedian) =>
        new("satisfactionVsExpected", actual, peerMedian, FeatureWindows.Name(FeatureWindow.Days30),
            $"近30天满意度 {Points(actual)} 分，按同类条件模型预期 {Points(expected)} 分"
            + (peerMedian is { } median ? $"（同类机构中位数 {Points(median)} 分）" : ""));

    /// <summary>
    /// What the 差评 behind a flag are about, e.g. "近7天差评集中在：等待时间长 42.0%、态度差 18.0%（共 12 条差评）": the two
    /// most frequent named topics and their share of the window's 差评 read for topics; null with none named.
    /// </summary>
    public static ExplanationLine? Topics(TopicSummary summary, FeatureWindow window)
    {
        double? ShareOf(TopicShare topic) => window == FeatureWindow.Days7 ? topic.ShareD7 : topic.ShareD30;
        var top = summary.Topics.Where(t => t.Topic != TopicLexicon.Other && ShareOf(t) > 0).OrderByDescending(ShareOf).Take(2).ToList();
        if (top.Count == 0)
        {
            return null;
        }

        var read = window == FeatureWindow.Days7 ? summary.BadD7 : summary.BadD30;
        return new(TopicMeasure, ShareOf(top[0])!.Value, null, FeatureWindows.Name(window),
            $"{FeatureWindows.Label(window)}差评集中在：{string.Join("、", top.Select(t => $"{t.Label} {Percent(ShareOf(t)!.Value)}"))}（共 {read} 条差评）");
    }

    public static string Text(Measure measure, FeatureWindow window, double value, double? peerMedian)
    {
        var label = FeatureWindows.Label(window);
        string Format(double v) => measure switch
        {
            Measure.BadRate or Measure.OnTimeRate or Measure.EvaluationRate or Measure.HandlingVsLimit
                or Measure.CallBackOnTimeRate or Measure.RectifiedOnTimeRate or Measure.UnfinishedRate => Percent(v),
            Measure.Satisfaction => $"{Points(v)} 分",
            Measure.Volume => $"{Points(v)} 条",
            _ => $"{(v >= 0 ? "上升" : "下降")} {Points(Math.Abs(v) * 100)} 个百分点",
        };
        var subject = measure switch
        {
            Measure.BadRate => $"{label}差评率",
            Measure.Satisfaction => $"{label}满意度",
            Measure.OnTimeRate => $"{label}按时办结率",
            Measure.HandlingVsLimit => $"{label}平均办理用时占时限",
            Measure.EvaluationRate => $"{label}评价率",
            Measure.Volume => $"{label}日均评价",
            Measure.CallBackOnTimeRate => $"{label}差评回访按时率",
            Measure.RectifiedOnTimeRate => $"{label}差评整改按时率",
            Measure.UnfinishedRate => $"{label}受理未办结占比",
            _ => "差评率近7天较近90天",
        };
        var peer = peerMedian is { } median ? $"，同类机构中位数 {Format(median)}" : "";
        return $"{subject} {Format(value)}{peer}";
    }

    internal static string Percent(double rate) => (rate * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Points(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
