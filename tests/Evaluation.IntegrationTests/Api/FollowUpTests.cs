using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Evaluation.ClientApi.Security;
using Evaluation.Contracts.Grains;
using Evaluation.Domain.Measures;
using Evaluation.Grains.Registry;
using Evaluation.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;

namespace Evaluation.IntegrationTests.Api;

/// <summary>A 差评 from ingestion to an upheld appeal, with the rater's contact kept to the city's officer.</summary>
public sealed class FollowUpTests(RunningSystem system) : IClassFixture<RunningSystem>
{
    private const string City = "440100";
    private const string Phone = "13800009876";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_bad_rating_opens_a_follow_up_whose_upheld_appeal_excludes_it_from_every_score()
    {
        var institution = ShippedRegistry.Sample.Institutions.First(i => i.CityCode == City && i.Channels.Count > 0 && i.Services.Count > 0);
        var bad = IngestionApiTests.Rating("fu-bad-1", institution, level: 1);
        bad["realName"] = true;
        bad["contact"] = new JsonObject { ["name"] = "回访测试人", ["phone"] = Phone };
        using (var posted = await system.Client.PostAsJsonAsync("/api/v1/evaluations",
            IngestionApiTests.Batch([bad, IngestionApiTests.Rating("fu-good-1", institution, level: 5)]), Ct))
        {
            Assert.Equal(2, (await posted.Content.ReadFromJsonAsync<JsonObject>(Ct))!["accepted"]!.GetValue<int>());
        }

        using var officer = await system.StaffClientAsync(Roles.CityOfficer, City);
        using var otherOfficer = await system.StaffClientAsync(Roles.CityOfficer, "440300");
        using var supervisor = await system.StaffClientAsync(Roles.Supervisor, null);
        using var anonymous = system.AnonymousClient();

        await StaffWork.EventuallyAsync(async () => (await officer.GetFromJsonAsync<JsonObject>("/api/v1/follow-ups?state=open", Ct))!["items"]!.AsArray()
            .Any(i => i!["id"]!.GetValue<string>() == "fu-bad-1"), "the 差评 to open a follow-up in its city");
        var followUp = (await officer.GetFromJsonAsync<JsonObject>("/api/v1/follow-ups/fu-bad-1", Ct))!;
        Assert.Equal(institution.Id, followUp["institutionId"]!.GetValue<string>());
        Assert.True(followUp["realName"]!.GetValue<bool>());
        Assert.DoesNotContain(Phone, followUp.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty((await otherOfficer.GetFromJsonAsync<JsonObject>("/api/v1/follow-ups", Ct))!["items"]!.AsArray());

        var contact = await officer.GetFromJsonAsync<JsonObject>("/api/v1/follow-ups/fu-bad-1/contact", Ct);
        Assert.Equal(Phone, contact!["phone"]!.GetValue<string>());
        foreach (var (who, client, expected) in new[] { ("another city's officer", otherOfficer, HttpStatusCode.Forbidden), ("the supervisor", supervisor, HttpStatusCode.Forbidden), ("anonymous", anonymous, HttpStatusCode.Unauthorized) })
        {
            using var refused = await client.GetAsync("/api/v1/follow-ups/fu-bad-1/contact", Ct);
            Assert.True(expected == refused.StatusCode, $"{who} asked for the contact: {(int)refused.StatusCode}");
        }

        await StaffWork.EventuallyAsync(async () => await TodayCount(institution.Id) == 2, "both ratings to count");
        await StaffWork.StepAsync(officer, "fu-bad-1", "appeal", "the rater confirmed on the phone that they rated the wrong office", "appealed");
        using (var wrongRole = await officer.PostAsJsonAsync("/api/v1/follow-ups/fu-bad-1/uphold", new { note = "we agree" }, Ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, wrongRole.StatusCode);
        }

        await StaffWork.StepAsync(supervisor, "fu-bad-1", "uphold", "rated the wrong office; excluded", "excluded");
        await StaffWork.EventuallyAsync(async () => await TodayCount(institution.Id) == 1, "the excluded rating to leave the institution's score");
        var page = await system.Client.GetFromJsonAsync<JsonObject>($"/api/v1/public/institutions/{institution.Id}", Ct);
        Assert.Equal([0L, 0, 0, 0, 1], page!["scores"]!["today"]!["levels"]!.AsArray().Select(n => n!.GetValue<long>()));

        // The rating itself stays in the log; the recomputation over the log agrees with the grain.
        await using var connection = new NpgsqlConnection(system.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT kind, level FROM event_log WHERE source_id = 'fu-bad-1' ORDER BY position", connection);
        await using (var reader = await command.ExecuteReaderAsync(Ct))
        {
            var rows = new List<(short, short)>();
            while (await reader.ReadAsync(Ct))
            {
                rows.Add((reader.GetInt16(0), reader.GetInt16(1)));
            }

            // The rating, the appeal (a handling step, counted on the rating's day) and the exclusion.
            Assert.Equal([(0, 1), (6, 1), (3, 1)], rows.Select(r => ((int)r.Item1, (int)r.Item2)));
        }

        var recomputed = await LogRecomputation.ByAreaAsync(system.ConnectionString, new Dictionary<string, string> { [institution.Id] = institution.Id });
        var fromGrain = await system.Cluster.Grains.GetGrain<IInstitutionGrain>(institution.Id).GetAggregate();
        Assert.Empty(Aggregation.Differences(recomputed[institution.Id], fromGrain.Aggregate));
        Assert.Equal(1, recomputed[institution.Id].Tallies.Values.Select(t => t.Levels.Sum()).Sum());
    }

    private async Task<long> TodayCount(string institutionId) =>
        (await system.Client.GetFromJsonAsync<JsonObject>($"/api/v1/public/institutions/{institutionId}", Ct))!["scores"]!["today"]!["count"]!.GetValue<long>();
}
