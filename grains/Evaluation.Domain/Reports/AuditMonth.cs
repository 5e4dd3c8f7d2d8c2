using Evaluation.Contracts.Cases;
using Evaluation.Contracts.Reports;

namespace Evaluation.Domain.Reports;

/// <summary>
/// What an audit's append-only history says about one month, read from the lines written before the month's end
/// only, so later steps never change a past month's figures.
/// </summary>
public static class AuditMonth
{
    public static readonly AuditCounts None = new(0, 0, 0);

    /// <summary>
    /// Opened: the opening and every reopening (relapse) in the month. Closed: the verifications in the month.
    /// Overdue: at the month's end the city held the case (it was neither submitted nor verified) and the case had
    /// been escalated since it was last opened; escalation is what the case's reminder writes once the deadline has
    /// passed, the only deadline fact the history keeps.
    /// </summary>
    public static AuditCounts Of(AuditCase audit, ReportMonth month)
    {
        var written = audit.History.Where(e => e.At < month.Cut).OrderBy(e => e.Sequence).ToList();
        if (written.Count == 0)
        {
            return None;
        }

        var inMonth = written.Where(e => e.At >= month.From).ToList();
        var lastOpening = written.FindLastIndex(e => e.Step is AuditStep.Opened or AuditStep.Relapse);
        var heldByCity = written[^1].To is not (AuditState.Submitted or AuditState.Verified);
        var escalated = written.Skip(Math.Max(lastOpening, 0)).Any(e => e.Step == AuditStep.Escalation);
        return new AuditCounts(
            inMonth.Count(e => e.Step is AuditStep.Opened or AuditStep.Relapse),
            inMonth.Count(e => e.Step == AuditStep.Verification),
            heldByCity && escalated ? 1 : 0);
    }

    public static AuditCounts Sum(IEnumerable<AuditCounts> counts) => counts.Aggregate(
        None, (sum, c) => new AuditCounts(sum.Opened + c.Opened, sum.Closed + c.Closed, sum.Overdue + c.Overdue));
}
