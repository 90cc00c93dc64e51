using Grid.Ledger.Holds;

namespace Grid.Gateway.Accounts;

/// <summary>API.md hold object; <c>id</c> is the operation id that placed it, <c>status</c> open, captured, voided or expired.</summary>
internal sealed record HoldResponse(string Id, long Amount, long Captured, string Status, DateTimeOffset? ExpiresAt, string? Reference)
{
    public static HoldResponse From(HoldView hold) =>
        new(hold.Id, hold.Amount, hold.Captured, hold.Status.ToString().ToLowerInvariant(), hold.ExpiresAt, hold.Reference);
}
