namespace Evaluation.Domain.Cases;

/// <summary>The configurable periods of audits (section <c>Evaluation:Cases</c>).</summary>
public sealed class CaseSettings
{
    /// <summary>SPEC 3.3: a city has 15 working days unless the supervisor sets another deadline.</summary>
    public int AuditWorkingDays { get; set; } = 15;

    /// <summary>How long after verification a relapse reopens the case, in calendar days.</summary>
    public int WatchDays { get; set; } = 90;

    /// <summary>What "due soon" means in the deadline views.</summary>
    public int DueSoonWorkingDays { get; set; } = 3;

    /// <summary>
    /// How often an open case looks at its deadline. Deadlines are whole working days, so an hour of delay
    /// in noticing one is harmless, and a reminder per case per hour is cheap.
    /// </summary>
    public TimeSpan CheckPeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>SPEC 3.4: a real-name rater is called back within one working day.</summary>
    public int CallBackWorkingDays { get; set; } = 1;

    /// <summary>An anonymous 差评 cannot be called back; the city checks it within this many working days.</summary>
    public int CheckWorkingDays { get; set; } = 3;

    /// <summary>SPEC 3.4: a justified 差评 is rectified within 15 working days.</summary>
    public int RectifyWorkingDays { get; set; } = 15;

    /// <summary>
    /// How long after a follow-up closes (feedback given, or the appeal upheld) the rater's contact is kept; then it
    /// is erased and only the anonymous follow-up remains.
    /// </summary>
    public int ContactRetentionDays { get; set; } = 180;

    /// <summary>
    /// How long a follow-up may stay overdue before detection raises a follow-up-overdue alert on its institution
    /// (0 to 30 days); the sweep notes every passed deadline for the handling measures regardless.
    /// </summary>
    public TimeSpan FollowUpOverdueGrace { get; set; } = TimeSpan.FromDays(1);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (ContactRetentionDays is < 0 or > 3650)
        {
            problems.Add("Evaluation:Cases:ContactRetentionDays must be 0–3650.");
        }

        if (AuditWorkingDays is < 1 or > 250 || DueSoonWorkingDays is < 0 or > 60)
        {
            problems.Add("Evaluation:Cases:AuditWorkingDays must be 1–250 and DueSoonWorkingDays 0–60.");
        }

        if (CallBackWorkingDays is < 0 or > 60 || CheckWorkingDays is < 0 or > 60 || RectifyWorkingDays is < 1 or > 250)
        {
            problems.Add("Evaluation:Cases:CallBackWorkingDays and CheckWorkingDays must be 0–60, RectifyWorkingDays 1–250.");
        }

        if (WatchDays is < 0 or > 3650)
        {
            problems.Add("Evaluation:Cases:WatchDays must be 0–3650.");
        }

        if (FollowUpOverdueGrace < TimeSpan.Zero || FollowUpOverdueGrace > TimeSpan.FromDays(30))
        {
            problems.Add("Evaluation:Cases:FollowUpOverdueGrace must be 0 to 30 days (e.g. 1.00:00:00).");
        }

        if (CheckPeriod < TimeSpan.FromSeconds(1))
        {
            problems.Add("Evaluation:Cases:CheckPeriod must be at least one second.");
        }

        return problems;
    }
}
