using Grid.Contracts.Sessions;

namespace Grid.Gateway.Sessions;

/// <summary>A metered session (API.md "Casts and sessions"); status is open, ended, exhausted or expired.</summary>
/// <param name="PendingLegs">Payout steps not yet confirmed by their accounts; they are retried until they are.</param>
/// <param name="ParkedLegs">Payout steps an account refused for good (a closed treasury), set aside for a person.</param>
/// <param name="IdleExpiresAt">When an open session ends by itself (status expired) unless usage comes before; null once closed.</param>
internal sealed record SessionResponse(
    string Id,
    string AccountId,
    string HostAccountId,
    string Status,
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
    DateTimeOffset? IdleExpiresAt)
{
    public static SessionResponse From(SessionView view) => new(
        view.Id, view.AccountId, view.HostAccountId, view.Status.ToString().ToLowerInvariant(), view.Deposit, view.PricePerUnit,
        view.CheckpointUnits, view.Units, view.BilledUnits, view.Checkpoints, view.Charged, view.HostEarnings, view.TreasuryEarnings,
        view.Released, view.PendingLegs, view.ParkedLegs, view.CreatedAt, view.ClosedAt, view.IdleExpiresAt);
}
