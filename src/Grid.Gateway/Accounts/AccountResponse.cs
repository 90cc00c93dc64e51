using Grid.Contracts.Accounts;
using Grid.Ledger.Accounts;

namespace Grid.Gateway.Accounts;

/// <summary>API.md account object, plus the overdraft limit it was opened with and whether a payment rail took it below zero.</summary>
/// <param name="InDebt">Debits and holds are refused with 402 negative_balance until deposits bring available back to <paramref name="DebtFloor"/>.</param>
/// <param name="DebtFloor">While in debt: zero, or the overdraft the account was already using when the rail took credits back; 0 otherwise.</param>
internal sealed record AccountResponse(
    string Id, string? Name, string Status, bool Guest, BalanceResponse Balance, DateTimeOffset CreatedAt, long OverdraftLimit, bool InDebt, long DebtFloor)
{
    public static AccountResponse From(AccountView account) => new(
        account.Id,
        account.Name,
        StatusName(account.Status),
        account.Guest,
        BalanceResponse.From(account.Balance),
        account.CreatedAt,
        account.Settings.OverdraftLimit,
        account.InDebt,
        account.DebtFloor);

    public static string StatusName(AccountStatus status) => status.ToString().ToLowerInvariant();
}
