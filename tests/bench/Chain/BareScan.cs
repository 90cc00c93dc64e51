using System.Diagnostics;
using Grid.Chain.Rpc;
using Grid.Grains.Chain;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grid.Bench.Chain;

/// <summary>
/// The floor under the watcher's catch-up: the reads it makes over the same chain, with the grid's own RPC client
/// and log reader, and nothing else (no payments, no credits, no state written). Per range, as the watcher: both
/// eth_getLogs queries (deposit events, token transfers to the treasury), then in batches the headers of the blocks
/// with deposits and of the blocks in the reorg window; the range starts at the configured size and doubles while
/// quiet.
/// </summary>
public static class BareScan
{
    /// <summary>As in ChainWatcherGrain: a range that returned fewer logs than this lets the next one be twice as long.</summary>
    private const int QuietLogCount = 1_000;

    public static async Task<BareScanResult> RunAsync(ChainSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var http = new ChainHttp();
        var catalog = new ChainCatalog(
            new ChainOptions { Chains = [settings] },
            (_, url) => new EthereumRpcClient(http.Client, url, new EthereumRpcOptions(), TimeProvider.System));
        var chain = catalog.Get(settings.ChainId);
        var reader = new DepositLogReader(NullLogger<DepositLogReader>.Instance);

        var clock = Stopwatch.StartNew();
        var head = await chain.Rpc.GetBlockNumberAsync(cancellationToken);
        var windowStart = head + 1 > (ulong)settings.ReorgWindow ? head + 1 - (ulong)settings.ReorgWindow : 0;
        var next = settings.StartBlock ?? 0;
        var range = settings.InitialLogRange;
        long deposits = 0, headers = 0, ranges = 0;
        while (next <= head)
        {
            var to = Math.Min(head, next + range - 1);
            var logs = await reader.ReadAsync(chain, next, to, cancellationToken);
            var numbers = new SortedSet<ulong>(logs.Select(l => l.BlockNumber));
            for (var n = Math.Max(next, windowStart); n <= to; n++)
            {
                numbers.Add(n);
            }

            var blocks = await chain.Rpc.GetBlocksAsync([.. numbers], cancellationToken);
            var hashes = blocks.ToDictionary(b => b?.Number ?? throw new InvalidOperationException("The node lost a block."), b => b!.Hash.ToString());
            if (logs.Any(l => hashes[l.BlockNumber] != l.BlockHash))
            {
                throw new InvalidOperationException("A log's block hash is not its block's: the chain moved during the scan.");
            }

            deposits += logs.Count;
            headers += blocks.Count;
            ranges++;
            next = to + 1;
            if (logs.Count < QuietLogCount && range < settings.MaxLogRange)
            {
                range = Math.Min(settings.MaxLogRange, range * 2);
            }
        }

        return new BareScanResult((long)head + 1, deposits, headers, ranges, clock.Elapsed);
    }
}
