using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Grains;

namespace Evaluation.IntegrationTests.Infrastructure;

/// <summary>
/// Officers and the supervisor working the 差评 as they arrive, in a fixed rotation: call back, plan and rectify,
/// give feedback, appeal, and decide appeals both ways. A step refused because the follow-up moved meanwhile is
/// simply not taken; one whose call failed with a silo is tried again (the log's keys make that safe).
/// </summary>
public sealed class FollowUpWork(IGrainFactory grains)
{
    private static readonly Actor Officer = new("off-kill", "city-officer");
    private static readonly Actor Supervisor = new("sup-kill", "province-supervisor");
    private readonly List<string> open = [];
    private int next;

    public int StepsTaken { get; private set; }

    public void Opened(string id) => open.Add(id);

    public async Task WorkAsync(int round)
    {
        foreach (var id in open.Skip(round % 3).Where((_, i) => i % 3 == 0).Take(25).ToList())
        {
            var plan = (next++ % 6) switch
            {
                0 => new[] { (FollowUpStep.CallBack, Officer) },
                1 => [(FollowUpStep.CallBack, Officer), (FollowUpStep.Plan, Officer), (FollowUpStep.Rectify, Officer)],
                2 => [(FollowUpStep.CallBack, Officer), (FollowUpStep.Rectify, Officer), (FollowUpStep.Feedback, Officer)],
                3 => [(FollowUpStep.Appeal, Officer)],
                4 => [(FollowUpStep.Appeal, Officer), (FollowUpStep.Uphold, Supervisor)],
                _ => [(FollowUpStep.CallBack, Officer), (FollowUpStep.Appeal, Officer), (FollowUpStep.Dismiss, Supervisor)],
            };
            foreach (var (step, actor) in plan)
            {
                try
                {
                    await Retries.WithRetryAsync(() => grains.GetGrain<IFollowUpGrain>(id).Act(new FollowUpCommand(step, actor, $"kill test {step}")));
                    StepsTaken++;
                }
                catch (AuditRefusedException)
                {
                    break;
                }
            }

            open.Remove(id);
        }
    }
}
