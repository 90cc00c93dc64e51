using System.Diagnostics;
using System.Globalization;
using Grid.Bench.Gateway;
using Grid.Bench.Ledger;

namespace Grid.Bench.Webhooks;

/// <summary>One side's measured rounds, with the CPU they cost this process and the database server.</summary>
public sealed class SideRuns
{
    private readonly List<LoopResult> _runs = [];
    private TimeSpan _processor;
    private TimeSpan? _server = TimeSpan.Zero;
    private int _collections;

    public IReadOnlyList<LoopResult> Runs => _runs;

    public LoopResult Total => LoopResult.Sum(_runs);

    /// <summary>This process's CPU per operation (silo and clients).</summary>
    public double ProcessorMicroseconds => _processor.TotalMicroseconds / Math.Max(1, Total.Operations);

    /// <summary>The database server's CPU per operation, NaN when it is not on this machine.</summary>
    public double ServerMicroseconds => _server is { } server ? server.TotalMicroseconds / Math.Max(1, Total.Operations) : double.NaN;

    public async Task<LoopResult> RunAsync(Func<Task<LoopResult>> run, BenchStore store)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(store);
        using var process = Process.GetCurrentProcess();
        var processor = process.TotalProcessorTime;
        var server = store.ServerProcessorTime();
        var collections = GC.CollectionCount(0);
        var result = await run();
        process.Refresh();
        _processor += process.TotalProcessorTime - processor;
        _server += store.ServerProcessorTime() - server;
        _collections += GC.CollectionCount(0) - collections;
        _runs.Add(result);
        return result;
    }

    /// <summary>A row of the summary: ops/s (totals and median of rounds), latencies, failures, CPU per operation.</summary>
    public string Describe(string side)
    {
        var total = Total;
        return string.Format(
            CultureInfo.InvariantCulture,
            "  {0,-9} {1,10:N0} {2,10:N0} {3,8:0.00} {4,8:0.00} {5,7:N0} {6,7:0} {7,7} {8,5}",
            side,
            total.PerSecond,
            WebhookBenchmark.Median(_runs.Select(r => r.PerSecond)),
            total.P50Milliseconds,
            total.P99Milliseconds,
            total.Failed,
            ProcessorMicroseconds,
            double.IsNaN(ServerMicroseconds) ? "-" : ServerMicroseconds.ToString("0", CultureInfo.InvariantCulture),
            _collections);
    }
}
