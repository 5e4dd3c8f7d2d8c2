using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>
/// Random but valid traffic for a registry, with a share of re-sent items (same id) the system must count once.
/// Deterministic for a seed, so a failure can be replayed.
/// </summary>
public sealed class TrafficGenerator(IReadOnlyList<Institution> institutions, int seed)
{
    private readonly Random random = new(seed);
    private readonly List<EvaluationInput> sentEvaluations = [];
    private readonly List<ServiceRecordInput> openRecords = [];
    private int next;

    public double ResendShare { get; init; } = 0.1;

    public IReadOnlyList<EvaluationInput> Evaluations(int count, DateTimeOffset now)
    {
        var batch = new List<EvaluationInput>(count);
        for (var i = 0; i < count; i++)
        {
            if (sentEvaluations.Count > 0 && random.NextDouble() < ResendShare)
            {
                batch.Add(sentEvaluations[random.Next(sentEvaluations.Count)]);
                continue;
            }

            var institution = institutions[random.Next(institutions.Count)];
            var realName = random.NextDouble() < 0.2;
            var item = new EvaluationInput(
                $"t{seed}-e{next++}",
                institution.Id,
                institution.Services[random.Next(institution.Services.Count)],
                ChannelName(institution.Channels[random.Next(institution.Channels.Count)]),
                Level(),
                random.NextDouble() < 0.3 ? ["slow"] : null,
                random.NextDouble() < 0.3 ? "服务态度很好" : null,
                realName,
                realName ? new Contact("测试用户", "13800000000") : null,
                now.AddMinutes(-random.Next(0, 60 * 24 * 40)));
            sentEvaluations.Add(item);
            batch.Add(item);
        }

        return batch;
    }

    /// <summary>New records (some already completed) and completions of records opened earlier.</summary>
    public IReadOnlyList<ServiceRecordInput> ServiceRecords(int count, DateTimeOffset now)
    {
        var batch = new List<ServiceRecordInput>(count);
        for (var i = 0; i < count; i++)
        {
            if (openRecords.Count > 0 && random.NextDouble() < 0.4)
            {
                var open = openRecords[random.Next(openRecords.Count)];
                var done = open with { CompletedAt = Min(now, open.AcceptedAt!.Value.AddHours(random.Next(1, 24 * 20))) };
                batch.Add(random.NextDouble() < 0.1 ? open : done);
                continue;
            }

            var institution = institutions[random.Next(institutions.Count)];
            var accepted = now.AddHours(-random.Next(1, 24 * 30));
            var record = new ServiceRecordInput(
                $"t{seed}-r{next++}",
                institution.Id,
                institution.Services[random.Next(institution.Services.Count)],
                ChannelName(institution.Channels[random.Next(institution.Channels.Count)]),
                accepted,
                random.NextDouble() < 0.3 ? Min(now, accepted.AddHours(random.Next(1, 24 * 10))) : null);
            if (record.CompletedAt is null)
            {
                openRecords.Add(record);
            }

            batch.Add(record);
        }

        return batch;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private int Level()
    {
        var roll = random.NextDouble();
        return roll switch { < 0.04 => 1, < 0.08 => 2, < 0.2 => 3, < 0.5 => 4, _ => 5 };
    }

    public static string ChannelName(Channel channel) => channel switch
    {
        Channel.Window => "window",
        Channel.Online => "online",
        _ => "hotline",
    };
}
