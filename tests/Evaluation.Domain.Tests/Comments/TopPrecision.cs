using System.Globalization;
using Xunit;

namespace Evaluation.Domain.Tests.Comments;

/// <summary>The share of labelled comments whose top topic is their label, printed with every miss.</summary>
internal static class TopPrecision
{
    /// <summary>The goal of issue 15: the top topic of a labelled 差评 comment is its label at least this often.</summary>
    public const double Goal = 0.8;

    public static double Measure(IReadOnlyList<(string Label, string Comment)> labelled, string name, Func<(string Label, string Comment), string> top)
    {
        var misses = labelled.Select(l => (l.Label, l.Comment, Top: top(l))).Where(x => x.Top != x.Label).ToList();
        var precision = 1 - ((double)misses.Count / labelled.Count);
        var summary = string.Create(CultureInfo.InvariantCulture, $"Top-topic precision on {name} (n={labelled.Count}): {precision:0.000}");
        Console.WriteLine(summary);
        TestContext.Current.SendDiagnosticMessage(summary);
        foreach (var (label, comment, read) in misses)
        {
            TestContext.Current.SendDiagnosticMessage($"  {label} read as {read}: {comment}");
        }

        return precision;
    }
}
