using Grid.Contracts.Accounts;

namespace Grid.Gateway.Accounts;

/// <summary><c>{hold, entry, balance}</c>: what a capture or a void answers; the hold as it stands after the entry.</summary>
internal sealed record HoldResultResponse(HoldResponse Hold, EntryResponse Entry, BalanceResponse Balance)
{
    public static HoldResultResponse From(LedgerResult result) => new(
        HoldResponse.From(result.Hold ?? throw new InvalidOperationException($"Entry {result.Entry.Sequence} names no hold.")),
        EntryResponse.From(result.Entry),
        BalanceResponse.From(result.Balance));
}
