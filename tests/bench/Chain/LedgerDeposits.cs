using System.Diagnostics;
using System.Globalization;
using Grid.Contracts.Chain;

namespace Grid.Bench.Chain;

/// <summary>
/// The crediting baseline: the same deposits (same accounts, same amounts, same order) as operator deposits over
/// HTTP with the admin key, <c>clients</c> at a time: the ledger's own cost of a credit, with HTTP on top.
/// </summary>
public static class LedgerDeposits
{
    public static async Task<DepositRun> RunAsync(ChainBenchSilo silo, IReadOnlyList<PlannedDeposit> deposits, int clients, int round, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(deposits);
        var prefix = "bench-deposit-" + round.ToString(CultureInfo.InvariantCulture) + "-";
        var processor = silo.ProcessorTime();
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, deposits.Count, new ParallelOptions { MaxDegreeOfParallelism = clients, CancellationToken = cancellationToken }, async (i, token) =>
        {
            var deposit = deposits[i];
            await silo.AdminAsync(
                HttpMethod.Post,
                $"/v1/accounts/{WalletAccountIds.For(deposit.Payer)}/deposits",
                $$"""{"operationId":"{{prefix}}{{i}}","amount":{{deposit.Credits}}}""",
                token);
        });
        var elapsed = clock.Elapsed;
        return new DepositRun(deposits.Count, elapsed, silo.ProcessorTime() - processor);
    }
}
