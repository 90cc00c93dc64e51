namespace Grid.Contracts.Sessions;

/// <summary>A session as callers see it.</summary>
/// <param name="Units">Units reported so far.</param>
/// <param name="Charged">Credits captured from the deposit so far (or decided and being captured: see <paramref name="PendingLegs"/>).</param>
/// <param name="BilledUnits">Units whose cost is in <paramref name="Charged"/> (the last checkpoint's total, or all units once ended).</param>
/// <param name="HostEarnings">Credits paid (or being paid) to the host.</param>
/// <param name="TreasuryEarnings">Credits paid (or being paid) to the treasury.</param>
/// <param name="Released">What the end released of the hold (deposit minus charged), once closed.</param>
/// <param name="PendingLegs">Ledger steps of the payouts not yet confirmed; retried until they are.</param>
/// <param name="ParkedLegs">Payout steps an account refused for good, set aside for a person (their credits are owed).</param>
/// <param name="IdleExpiresAt">When an open session ends by itself if no usage comes before (null once closed).</param>
public sealed record SessionView(
    string Id,
    string AccountId,
    string HostAccountId,
    SessionStatus Status,
    long Deposit,
    decimal PricePerUnit,
    long CheckpointUnits,
    long Units,
    long BilledUnits,
    int Checkpoints,
    long Charged,
    long HostEarnings,
    long TreasuryEarnings,
    long? Released,
    int PendingLegs,
    int ParkedLegs,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? IdleExpiresAt);
