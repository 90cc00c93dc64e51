using Grid.Ledger.Accounts;

namespace Grid.Gateway.Accounts;

/// <summary>API.md balance object: as of the journal entry <see cref="Sequence"/>.</summary>
internal sealed record BalanceResponse(long Available, long Held, long Sequence)
{
    public static BalanceResponse From(Balance balance) => new(balance.Available, balance.Held, balance.Sequence);
}
