using Grid.Contracts.Accounts;

namespace Grid.Gateway.Accounts;

/// <summary><c>{entry, balance}</c>: what a deposit, debit, refund, adjustment, freeze, unfreeze or close answers.</summary>
internal sealed record EntryResultResponse(EntryResponse Entry, BalanceResponse Balance)
{
    public static EntryResultResponse From(LedgerResult result) =>
        new(EntryResponse.From(result.Entry), BalanceResponse.From(result.Balance));
}
