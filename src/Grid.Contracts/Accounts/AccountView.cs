using Grid.Ledger.Accounts;

namespace Grid.Contracts.Accounts;

/// <summary>An account as callers see it (API.md account object plus limits).</summary>
/// <param name="InDebt">A payment rail took the account below zero; it cannot spend until it is back at <paramref name="DebtFloor"/> (see <see cref="AccountSnapshot.InDebt"/>).</param>
/// <param name="DebtFloor">While in debt, the available it must be back at: zero, or the overdraft it was already using (0 when not in debt).</param>
public sealed record AccountView(
    string Id, string? Name, AccountStatus Status, bool Guest, Balance Balance, AccountSettings Settings, DateTimeOffset CreatedAt, bool InDebt = false,
    long DebtFloor = 0)
{
    public static AccountView From(AccountSnapshot snapshot) =>
        new(snapshot.AccountId, snapshot.Name, snapshot.Status, snapshot.Guest, snapshot.Balance, snapshot.Settings, snapshot.CreatedAt, snapshot.InDebt,
            snapshot.DebtFloor);
}
