using System.Globalization;
using Grid.Bench.Ledger;

namespace Grid.Bench.Casts;

/// <summary>
/// The baseline's casts: the same hold and capture per lifecycle, each one <see cref="BaselineLedger"/> transaction
/// (SELECT ... FOR UPDATE on the account row), and nothing else: no cast record, no usage row, no reminder.
/// </summary>
public sealed class BaselineCasts(BaselineLedger ledger, BenchStore store) : ICastSide
{
    public string Name => "baseline hold+capture";

    public Task PrepareAsync(LedgerWorkload accounts, CancellationToken cancellationToken) => ledger.PrepareAsync(accounts, cancellationToken);

    public string AccountId(int account) => ledger.AccountPrefix + account.ToString(CultureInfo.InvariantCulture);

    public async Task<bool> LifecycleAsync(int account, string castId, long hold, long price)
    {
        var holdId = castId + ":hold";
        return await ledger.HoldAsync(account, holdId, hold) && await ledger.CaptureAsync(account, castId + ":capture", holdId, price);
    }

    public async Task<CastLedgerState> ReadAsync(CancellationToken cancellationToken)
    {
        var balances = await LedgerQueries.BalancesAsync(
            store, "SELECT account_id, available, held FROM bench_accounts WHERE account_id LIKE @pattern", ledger.AccountPrefix, cancellationToken);
        var counts = await LedgerQueries.CountsAsync(
            store,
            "SELECT count(*), count(DISTINCT operation_id) FROM bench_journal WHERE account_id LIKE @pattern AND kind = 'capture'",
            ledger.AccountPrefix,
            cancellationToken);
        return new CastLedgerState(balances, counts[0], counts[1], UsageRecords: null);
    }
}
