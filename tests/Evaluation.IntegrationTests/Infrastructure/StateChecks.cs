using System.Text.Json;
using Evaluation.Contracts.Cases;
using Npgsql;
using Xunit;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>Every follow-up got where it is by the legal steps of <see cref="FollowUpTransitions"/> only.</summary>
public static class StateChecks
{
    public static async Task AssertFollowUpsMovedByLegalStepsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT document::text FROM follow_up", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var illegal = new List<string>();
        var steps = 0;
        while (await reader.ReadAsync())
        {
            var followUp = JsonSerializer.Deserialize<FollowUp>(reader.GetString(0))!;
            illegal.AddRange(IllegalSteps(followUp).Select(problem => $"{followUp.Id}: {problem}"));
            steps += followUp.History.Count;
        }

        Assert.True(illegal.Count == 0, $"{illegal.Count} illegal steps in {steps}, e.g.\n{string.Join("\n", illegal.Take(10))}");
    }

    public static IEnumerable<string> IllegalSteps(FollowUp followUp)
    {
        if (followUp.History is not [{ Step: FollowUpStep.Opened, From: null, To: FollowUpState.Open, Sequence: 1 }, ..])
        {
            yield return "does not begin with its opening";
        }

        foreach (var (previous, entry) in followUp.History.Zip(followUp.History.Skip(1)))
        {
            var legal = entry.Sequence == previous.Sequence + 1 && entry.From == previous.To && entry.Step switch
            {
                FollowUpStep.Overdue => entry.To == entry.From,
                _ => FollowUpTransitions.ByStep.TryGetValue(entry.Step, out var rule)
                    && rule.From.Contains(entry.From!.Value) && entry.To == (rule.To ?? entry.From) && entry.Role == rule.Role,
            };
            if (!legal)
            {
                yield return $"step {entry.Sequence} {entry.Step} by {entry.Role} from {entry.From} to {entry.To} after {previous.To}";
            }
        }

        if (followUp.History.Count > 0 && followUp.State != followUp.History[^1].To)
        {
            yield return $"is {followUp.State} but its last step led to {followUp.History[^1].To}";
        }
    }
}
