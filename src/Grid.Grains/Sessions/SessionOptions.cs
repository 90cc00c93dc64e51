using Grid.Runtime;
using Microsoft.Extensions.Options;

namespace Grid.Grains.Sessions;

/// <summary>How metered sessions settle (<c>Grid:Sessions</c>).</summary>
public sealed class SessionOptions
{
    public const string SectionName = "Grid:Sessions";

    private static readonly TimeSpan MaxIdleTimeout = TimeSpan.FromDays(366);

    /// <summary>Units between checkpoints when a start names none.</summary>
    public long CheckpointUnits { get; set; } = 1_000;

    /// <summary>The host's share of each checkpoint's cost, in percent (rounded down; the treasury gets the rest).</summary>
    public int HostSharePercent { get; set; } = 90;

    /// <summary>The account that receives the treasury's share; opened as an ordinary account on first need.</summary>
    public string TreasuryAccountId { get; set; } = "treasury";

    /// <summary>How often a session with payouts not yet confirmed tries them again.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often a session whose only business left is payouts set aside looks at them again: a share for a treasury the
    /// operator has since replaced (new settings, a restart) then goes to the configured one.
    /// </summary>
    public TimeSpan ParkedRecheckPeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long an open session may go without a usage report before it ends by itself (status <c>expired</c>): the units
    /// reported are charged and paid out as an end would, and the rest of the deposit is released. A server that crashed
    /// or forgot its session would otherwise leave the payer's deposit held, and the account unclosable, for good.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Usage reports one session takes. Every report's id is kept for the session's life (a retry must never count
    /// its units twice), so the session's state is bounded by this; a longer job ends the session and starts another.
    /// Each report writes the whole state again, ids included, so what a session writes grows with the square of this:
    /// 10,000 reports with long ids wrote about 10 GB of PostgreSQL log for one session, 1,000 a hundredth of that.
    /// </summary>
    public int MaxReports { get; set; } = 1_000;

    /// <summary>The latest reports whose full answers are kept for replays; an older report's replay answers with the session as it stands.</summary>
    public int KeptAnswers { get; set; } = 64;

    /// <summary>
    /// Payout steps a session may have waiting (a step the ledger keeps refusing, an outage): past it, new usage is refused
    /// as unavailable until they are done, so the waiting steps, and the state that carries them, stay bounded.
    /// </summary>
    public int MaxPendingSteps { get; set; } = 1_000;

    public void Validate()
    {
        var failures = new List<string>();
        if (CheckpointUnits < 1)
        {
            failures.Add($"{SectionName}:CheckpointUnits must be at least 1.");
        }

        if (HostSharePercent is < 0 or > 100)
        {
            failures.Add($"{SectionName}:HostSharePercent must be from 0 to 100.");
        }

        if (!Grid.Ledger.Idempotency.OperationIds.IsValid(TreasuryAccountId))
        {
            failures.Add($"{SectionName}:TreasuryAccountId must be an account id (1 to 128 characters of A-Z, a-z, 0-9, '_', '.', ':' or '-').");
        }

        // Both are reminder periods, which the runtime takes up to 1,000 days.
        if (RetryPeriod <= TimeSpan.Zero || RetryPeriod > ReminderLimits.MaxSchedule)
        {
            failures.Add($"{SectionName}:RetryPeriod must be positive and at most 1,000 days.");
        }

        if (ParkedRecheckPeriod <= TimeSpan.Zero || ParkedRecheckPeriod > ReminderLimits.MaxSchedule)
        {
            failures.Add($"{SectionName}:ParkedRecheckPeriod must be positive and at most 1,000 days.");
        }

        if (IdleTimeout < TimeSpan.FromSeconds(1) || IdleTimeout > MaxIdleTimeout)
        {
            failures.Add($"{SectionName}:IdleTimeout must be from 1 second to {MaxIdleTimeout.TotalDays:0} days.");
        }

        if (MaxReports is < 1 or > 1_000_000)
        {
            failures.Add($"{SectionName}:MaxReports must be from 1 to 1000000.");
        }

        if (KeptAnswers is < 1 or > 10_000)
        {
            failures.Add($"{SectionName}:KeptAnswers must be from 1 to 10000.");
        }

        if (MaxPendingSteps is < 1 or > 100_000)
        {
            failures.Add($"{SectionName}:MaxPendingSteps must be from 1 to 100000.");
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(SessionOptions), failures);
        }
    }
}
