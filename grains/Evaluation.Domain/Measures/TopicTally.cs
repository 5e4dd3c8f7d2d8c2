using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Measures;

namespace Evaluation.Domain.Measures;

/// <summary>
/// The comment-topic counts of an aggregate (<see cref="AggregateData.Topics"/>): how a logged 差评 changes them and
/// how they add up, kept apart from the other tallies so <see cref="Aggregation"/> only calls in here.
/// </summary>
public static class TopicTally
{
    /// <summary>
    /// The topic under which every 差评 read for topics is counted once, whatever its topics: the denominator of a
    /// topic's share, so 差评 logged before topics were read do not dilute it.
    /// </summary>
    public const string Read = "*";

    /// <summary>A 差评 counts under each of its topics and under <see cref="Read"/>; its exclusion takes them off again.</summary>
    public static void Apply(AggregateData data, LoggedEvent logged)
    {
        var step = logged.Kind switch
        {
            LoggedEventKind.Evaluation => 1,
            LoggedEventKind.EvaluationExcluded or LoggedEventKind.EvaluationSourceExcluded => -1,
            _ => 0,
        };
        foreach (var key in KeysOf(logged))
        {
            Add(data.Topics, key, step);
        }
    }

    /// <summary>The topic tallies <see cref="Apply"/> changes for <paramref name="logged"/>.</summary>
    public static IEnumerable<TopicKey> KeysOf(LoggedEvent logged) =>
        logged.Topics is { Count: > 0 } topics && logged.Kind is LoggedEventKind.Evaluation or LoggedEventKind.EvaluationExcluded or LoggedEventKind.EvaluationSourceExcluded
            ? topics.Append(Read).Select(topic => new TopicKey(logged.Day, topic))
            : [];

    public static void AddInto(AggregateData target, AggregateData source)
    {
        foreach (var (key, count) in source.Topics)
        {
            Add(target.Topics, key, count);
        }
    }

    /// <summary>Swaps <paramref name="previous"/>'s topic counts in <paramref name="total"/> for <paramref name="current"/>'s.</summary>
    public static void Replace(AggregateData total, AggregateData previous, AggregateData current)
    {
        foreach (var (key, count) in current.Topics)
        {
            Add(total.Topics, key, count - previous.Topics.GetValueOrDefault(key));
        }

        foreach (var (key, count) in previous.Topics)
        {
            if (!current.Topics.ContainsKey(key))
            {
                Add(total.Topics, key, -count);
            }
        }
    }

    /// <summary>Drops the topic counts of days before <paramref name="firstKeptDay"/>; returns their keys.</summary>
    public static IReadOnlyList<TopicKey> PruneBefore(AggregateData data, DateOnly firstKeptDay)
    {
        var old = data.Topics.Keys.Where(key => key.Day < firstKeptDay).ToList();
        foreach (var key in old)
        {
            data.Topics.Remove(key);
        }

        return old;
    }

    /// <summary>Sets a member's topic count to the value a delta carries; 0 means it went.</summary>
    public static void Set(Dictionary<TopicKey, long> topics, TopicKey key, long count)
    {
        if (count == 0)
        {
            topics.Remove(key);
        }
        else
        {
            topics[key] = count;
        }
    }

    /// <summary>Every difference in topic counts, one line each; a missing count equals zero.</summary>
    public static void Compare(List<string> differences, AggregateData expected, AggregateData actual)
    {
        foreach (var key in expected.Topics.Keys.Union(actual.Topics.Keys).OrderBy(k => k.Day).ThenBy(k => k.Topic, StringComparer.Ordinal))
        {
            var e = expected.Topics.GetValueOrDefault(key);
            var a = actual.Topics.GetValueOrDefault(key);
            if (e != a)
            {
                differences.Add($"{key.Day:yyyy-MM-dd}/topic {key.Topic}: expected {e}, actual {a}");
            }
        }
    }

    private static void Add(Dictionary<TopicKey, long> topics, TopicKey key, long count)
    {
        if (count != 0)
        {
            Set(topics, key, topics.GetValueOrDefault(key) + count);
        }
    }
}
