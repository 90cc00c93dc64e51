using Grid.Contracts.Accounts;
using Grid.Contracts.Payments;
using Grid.Ledger.Commands;

namespace Grid.Grains.Payments;

/// <summary>The account's auto-reload threshold, changed by the rails (auto-reload's settings, a payment taking credits back).</summary>
internal static class AutoReloadThreshold
{
    /// <summary>
    /// The settings change that sets <paramref name="threshold"/> and keeps the rest: a new operation id per change (the
    /// account's sequence names it, after <paramref name="purpose"/>), so each change is its own entry.
    /// </summary>
    public static ChangeSettings Change(AccountView account, long? threshold, string purpose = "") =>
        new($"{RailOperationIds.AutoReloadPrefix}{purpose}{account.Balance.Sequence}", account.Settings.OverdraftLimit, account.Settings.MaxOpenHolds, threshold);
}
