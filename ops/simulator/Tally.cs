using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Evaluation.Simulator;

/// <summary>Running totals for one kind of item (evaluations or service records); safe to update from concurrent sends.</summary>
internal sealed class Tally(string name)
{
    private const int ErrorsKept = 5;

    private readonly Lock _gate = new();
    private readonly List<string> _firstErrors = [];

    public string Name { get; } = name;
    public long Sent { get; private set; }
    public long Accepted { get; private set; }
    public long Duplicates { get; private set; }
    public long Rejected { get; private set; }
    public long FailedRequests { get; private set; }

    public IReadOnlyList<string> FirstErrors
    {
        get
        {
            lock (_gate)
            {
                return [.. _firstErrors];
            }
        }
    }

    public void Record(int sent, BatchAnswer answer)
    {
        lock (_gate)
        {
            Sent += sent;
            Accepted += answer.Accepted;
            Duplicates += answer.Duplicates;
            Rejected += answer.Rejected;
            foreach (var result in answer.Results ?? [])
            {
                foreach (var error in result.Errors ?? [])
                {
                    Keep($"{result.Id}: {error.Field}: {error.Message}");
                }
            }
        }
    }

    public void RecordFailure(int sent, string reason)
    {
        lock (_gate)
        {
            Sent += sent;
            FailedRequests++;
            Keep(reason);
        }
    }

    public string Line()
    {
        lock (_gate)
        {
            var line = string.Create(CultureInfo.InvariantCulture, $"{Name}: sent {Sent}, accepted {Accepted}, duplicates {Duplicates}, rejected {Rejected}");
            return FailedRequests > 0 ? string.Create(CultureInfo.InvariantCulture, $"{line}, failed requests {FailedRequests}") : line;
        }
    }

    private void Keep(string error)
    {
        if (_firstErrors.Count < ErrorsKept)
        {
            _firstErrors.Add(error);
        }
    }
}

/// <summary>Both tallies, the clock, and how they are printed.</summary>
internal sealed class Progress
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    public Tally Evaluations { get; } = new("evaluations");
    public Tally ServiceRecords { get; } = new("service records");
    public long Resends { get; set; }

    public bool Clean => Evaluations.Rejected + Evaluations.FailedRequests + ServiceRecords.Rejected + ServiceRecords.FailedRequests == 0;

    public string Report(bool final)
    {
        var seconds = Math.Max(_watch.Elapsed.TotalSeconds, 0.001);
        var acknowledged = (Evaluations.Accepted + Evaluations.Duplicates) / seconds;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"[{seconds,6:F1}s] {Evaluations.Line()} (re-sent on purpose {Resends}) | {ServiceRecords.Line()} | {acknowledged:F1} ratings/s acknowledged");
        if (final)
        {
            foreach (var tally in new[] { Evaluations, ServiceRecords })
            {
                foreach (var error in tally.FirstErrors)
                {
                    text.AppendLine().Append(CultureInfo.InvariantCulture, $"  {tally.Name} error: {error}");
                }
            }
        }

        return text.ToString();
    }
}
