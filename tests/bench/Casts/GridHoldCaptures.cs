using Grid.Bench.Ledger;

namespace Grid.Bench.Casts;

/// <summary>
/// The grid's account grains alone doing a cast's ledger work (the hold, then the capture), with no cast grain:
/// what the cast grain's own state, reminder and usage writes cost shows as the difference to <see cref="GridCasts"/>.
/// </summary>
public sealed class GridHoldCaptures(GridTarget grid, BenchStore store) : ICastSide
{
    public string Name => "grid hold+capture";

    public Task PrepareAsync(LedgerWorkload accounts, CancellationToken cancellationToken) => grid.PrepareAsync(accounts, cancellationToken);

    public string AccountId(int account) => grid.AccountId(account);

    public async Task<bool> LifecycleAsync(int account, string castId, long hold, long price)
    {
        var holdId = castId + ":hold";
        return await grid.HoldAsync(account, holdId, hold) && await grid.CaptureAsync(account, castId + ":capture", holdId, price);
    }

    public async Task<CastLedgerState> ReadAsync(CancellationToken cancellationToken)
    {
        var balances = await LedgerQueries.BalancesAsync(
            store, "SELECT account_id, available, held FROM accounts WHERE account_id LIKE @pattern", grid.AccountPrefix, cancellationToken);
        var counts = await LedgerQueries.CountsAsync(
            store,
            "SELECT count(*), count(DISTINCT operation_id) FROM journal WHERE account_id LIKE @pattern AND operation_id LIKE '%:capture'",
            grid.AccountPrefix,
            cancellationToken);
        return new CastLedgerState(balances, counts[0], counts[1], UsageRecords: null);
    }
}
