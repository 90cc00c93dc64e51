using Grid.Runtime;

namespace Grid.Contracts.Sessions;

/// <summary>
/// One metered session (key: session id, the start's operation id): a deposit held on the user's account,
/// usage reported in units, a checkpoint at every multiple of the checkpoint size that captures the cost of the
/// units since the last one and pays it out to the host and the treasury, and an end that captures the rest and
/// releases what is left of the hold. Refusals throw <see cref="Grid.Ledger.Errors.LedgerException"/>.
/// </summary>
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>Places the deposit's hold and records the session; the same start again returns it.</summary>
    Task<SessionView> Start(SessionStart start);

    /// <summary>Adds units; idempotent by the report's operation id (the same report returns the same answer).</summary>
    Task<SessionView> ReportUsage(UsageReport report);

    /// <summary>Captures the rest of the usage and releases the rest of the hold; ending an ended session returns it.</summary>
    Task<SessionView> End(string operationId);

    /// <summary>The session, or null when no session has this id.</summary>
    [Idempotent]
    Task<SessionView?> Get();

    /// <summary>The payout steps set aside for a person (<c>not_found</c> when no session has this id).</summary>
    [Idempotent]
    Task<IReadOnlyList<ParkedStepView>> ParkedSteps();

    /// <summary>
    /// Lets go of the parked step <paramref name="operationId"/> once a person has paid it by hand, so nothing pays it
    /// again (a treasury configured later would otherwise take it up); answers the steps still parked. No parked step
    /// under that id: <c>not_found</c>.
    /// </summary>
    Task<IReadOnlyList<ParkedStepView>> ReleaseParkedStep(string operationId);
}
