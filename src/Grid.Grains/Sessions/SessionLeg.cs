namespace Grid.Grains.Sessions;

/// <summary>
/// One ledger step of a payout, decided once and stored before it runs: its operation id makes running it again
/// harmless, so it is retried until the account confirms it.
/// </summary>
public sealed record SessionLeg(SessionLegKind Kind, string OperationId, string AccountId, long Amount, bool Final);
