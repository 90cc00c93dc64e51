using Grid.Contracts.Accounts;
using Grid.Ledger.Accounts;

namespace Grid.Gateway.Accounts;

/// <summary>API.md account object, plus the overdraft limit it was opened with.</summary>
internal sealed record AccountResponse(
    string Id, string? Name, string Status, bool Guest, BalanceResponse Balance, DateTimeOffset CreatedAt, long OverdraftLimit)
{
    public static AccountResponse From(AccountView account) => new(
        account.Id,
        account.Name,
        StatusName(account.Status),
        account.Guest,
        BalanceResponse.From(account.Balance),
        account.CreatedAt,
        account.Settings.OverdraftLimit);

    public static string StatusName(AccountStatus status) => status.ToString().ToLowerInvariant();
}
