using Grid.Bench.Ledger;
using Grid.Contracts.Casts;
using Grid.Grains.Casts;
using Grid.Ledger.Errors;
using Grid.Runtime;

namespace Grid.Bench.Casts;

/// <summary>
/// The grid's casts: each lifecycle is <see cref="ICastGrain.Start"/> then <see cref="ICastGrain.Complete"/> at a
/// price, through the in-process silo's grain factory, as the gateway's cast routes call them.
/// </summary>
public sealed class GridCasts(GridTarget grid, BenchStore store, long quote, int bufferPercent) : ICastSide
{
    /// <summary>Far beyond any run: no cast times out under the benchmark.</summary>
    private static readonly TimeSpan CastTimeout = TimeSpan.FromMinutes(30);

    public string Name => "grid casts";

    public Task PrepareAsync(LedgerWorkload accounts, CancellationToken cancellationToken) => grid.PrepareAsync(accounts, cancellationToken);

    public string AccountId(int account) => grid.AccountId(account);

    public async Task<bool> LifecycleAsync(int account, string castId, long hold, long price)
    {
        var cast = grid.GrainFactory.GetGrain<ICastGrain>(castId);
        try
        {
            var started = await cast.Start(new CastStart(castId, grid.AccountId(account), quote, bufferPercent, "bench", CastTimeout));
            if (started.Held != hold)
            {
                throw new InvalidOperationException($"Cast {castId} held {started.Held}, not {hold}.");
            }
        }
        catch (LedgerException refused) when (refused.Code == LedgerErrorCodes.InsufficientFunds)
        {
            return false;
        }

        var completed = await cast.Complete(new CastCompletion(castId + ":end", price, ProviderCost: null, Markup: 1m));
        return completed.Status == CastStatus.Completed && completed.Charged == price
            ? true
            : throw new InvalidOperationException($"Cast {castId} ended {completed.Status}, charged {completed.Charged} of {price}.");
    }

    public async Task<CastLedgerState> ReadAsync(CancellationToken cancellationToken)
    {
        var balances = await LedgerQueries.BalancesAsync(
            store, "SELECT account_id, available, held FROM accounts WHERE account_id LIKE @pattern", grid.AccountPrefix, cancellationToken);
        var counts = await LedgerQueries.CountsAsync(
            store,
            "SELECT count(*), count(DISTINCT operation_id), " +
            $"(SELECT count(*) FROM usage_records WHERE source = '{CastGrain.UsageSource}' AND account_id LIKE @pattern) " +
            "FROM journal WHERE account_id LIKE @pattern AND operation_id LIKE 'cast:%:capture'",
            grid.AccountPrefix,
            cancellationToken);
        return new CastLedgerState(balances, counts[0], counts[1], counts[2]);
    }
}
