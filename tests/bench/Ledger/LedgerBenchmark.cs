using System.Diagnostics;

namespace Grid.Bench.Ledger;

/// <summary>
/// Durable ledger operations per second and their latency: the grid (account grains, group commit, the
/// silo-wide writer; optionally also with MergeAppends off) against the one-transaction-per-request
/// baseline, same workload, same database, same clients, same run. Closed-loop rounds alternate between
/// the sides so machine noise falls on all alike; then each side runs open loop at a fixed arrival rate
/// (by default half of its own peak); last, each side's journal is counted against what it acknowledged.
/// </summary>
public static class LedgerBenchmark
{
    private const string Row = "  {0,-26}{1,12}{2,10}{3,10}{4,10}{5,10}{6,9}{7,9}{8,8}{9,6}{10,10}";

    public static async Task<int> RunAsync(LedgerBenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var store = await BenchStore.CreateAsync(options.Store, options.Clients);
        var targets = new List<ILedgerTarget>();
        try
        {
            if (options.GridMerged)
            {
                targets.Add(await GridTarget.StartAsync(store, "gm", merge: true, options.Writers, options.Announce));
            }

            if (options.GridUnmerged)
            {
                targets.Add(await GridTarget.StartAsync(store, "gu", merge: false, options.Writers, options.Announce));
            }

            targets.Add(new BaselineLedger(store, "b"));
            Console.WriteLine($"ledger: {store.Describe()}");
            Console.WriteLine($"  machine load (1/5/15-minute averages) at start: {MachineLoad.Describe()}");
            Console.WriteLine(
                $"  {options.Clients} clients per side; {options.Duration.TotalSeconds:0} s per side in {options.Rounds} rounds after {options.Warmup.TotalSeconds:0} s warm-up; " +
                $"{Environment.ProcessorCount} cores, .NET {Environment.Version}");
            Console.WriteLine("  grid: in-process silo (AddGridStorage + AddGrainRuntime + AddLedger) called through IAccountGrain.Execute");
            Console.WriteLine($"  baseline: one transaction per request; {store.BaselineNote}");
            Console.WriteLine("  every operation is acknowledged only after its commit; a hold+capture request counts as 2 operations, each timed on its own");
            var clean = true;
            foreach (var name in options.Workloads)
            {
                clean &= await RunWorkloadAsync(store, LedgerWorkload.Create(name, options.Accounts), targets, options);
            }

            return clean ? 0 : 1;
        }
        finally
        {
            for (var i = targets.Count - 1; i >= 0; i--)
            {
                await targets[i].DisposeAsync();
            }
        }
    }

    private static async Task<bool> RunWorkloadAsync(
        BenchStore store, LedgerWorkload workload, List<ILedgerTarget> targets, LedgerBenchOptions options)
    {
        Console.WriteLine();
        Console.WriteLine($"workload {workload.Describe()}");
        var acknowledged = targets.ToDictionary(t => t, _ => 0L);
        foreach (var target in targets)
        {
            var preparing = Stopwatch.StartNew();
            await target.PrepareAsync(workload, CancellationToken.None);
            Console.WriteLine($"  {target.Name}: {workload.Accounts:N0} account(s) opened and funded in {preparing.Elapsed.TotalSeconds:0.0} s");
        }

        var load = new LedgerLoad(workload, options.Clients, store.ServerProcessorTime);
        if (options.Warmup > TimeSpan.Zero)
        {
            foreach (var target in targets)
            {
                acknowledged[target] += (await load.ClosedAsync(target, options.Warmup)).Acknowledged;
            }
        }

        // The database is minutes old: measure with statistics that describe it, as autovacuum soon would.
        await store.AnalyzeAsync(CancellationToken.None);
        Console.WriteLine("  warmed up; planner statistics refreshed (ANALYZE)");

        var rounds = targets.ToDictionary(t => t, _ => new List<RunResult>());
        var roundRatios = new List<double>();
        var grid = targets[0];
        var baseline = targets[^1];
        for (var round = 0; round < options.Rounds; round++)
        {
            foreach (var target in targets)
            {
                var result = await load.ClosedAsync(target, options.Duration / options.Rounds);
                rounds[target].Add(result);
                acknowledged[target] += result.Acknowledged;
            }

            roundRatios.Add(rounds[grid][^1].PerSecond / rounds[baseline][^1].PerSecond);
            var sides = string.Join("   ", targets.Select(t => $"{t.Name} {rounds[t][^1].PerSecond,9:N0}"));
            Console.WriteLine($"  round {round + 1}: {sides} ops/s   ratio {roundRatios[^1]:0.0}");
        }

        var peaks = targets.ToDictionary(t => t, t => RunResult.Sum(rounds[t]));
        Console.WriteLine($"  closed loop, {options.Clients} clients:");
        Console.WriteLine(string.Format(Row, "side", "ops/s", "p50 ms", "p99 ms", "max ms", "refused", "failed", "cpu us", "db us", "gcs", "gc ms"));
        foreach (var target in targets)
        {
            var peak = peaks[target];
            Console.WriteLine(string.Format(
                Row, target.Name, $"{peak.PerSecond:N0}", $"{peak.P50Milliseconds:0.00}", $"{peak.P99Milliseconds:0.00}",
                $"{peak.MaxMilliseconds:0.0}", $"{peak.Refused:N0}", $"{peak.Failed:N0}", $"{peak.ProcessorMicrosecondsPerOperation:0}",
                Micros(peak.ServerMicrosecondsPerOperation), peak.Collections, Pause(peak)));
        }

        Console.WriteLine(
            "  (cpu us: this process's CPU per operation: grid = silo + clients, baseline = clients + driver, SQLite included; " +
            "db us: the PostgreSQL server's CPU per operation, all its processes; gcs: garbage collections in this process; " +
            "gc ms: their mean pause / pause per second of run)");
        roundRatios.Sort();
        Console.WriteLine(
            $"  ratio {grid.Name}/{baseline.Name}: {peaks[grid].PerSecond / peaks[baseline].PerSecond:0.0}x ops/s (totals), " +
            $"{Median(roundRatios):0.0}x (median of rounds)");
        if (targets.Count == 3)
        {
            var unmerged = targets[1];
            Console.WriteLine(
                $"  silo-wide writer: {grid.Name} / {unmerged.Name} = {peaks[grid].PerSecond / peaks[unmerged].PerSecond:0.00}x ops/s; " +
                $"p99 {peaks[grid].P99Milliseconds:0.00} vs {peaks[unmerged].P99Milliseconds:0.00} ms");
        }

        var clean = Report(targets, peaks);
        if (options.Rate != 0)
        {
            Console.WriteLine(options.Rate is { } fixedRate
                ? $"  open loop at {fixedRate:N0} ops/s (latency from each operation's scheduled start):"
                : "  open loop at half of each side's peak (latency from each operation's scheduled start):");
            Console.WriteLine(string.Format(Row, "side", "rate ops/s", "done/s", "p50 ms", "p99 ms", "max ms", "lag p99", "cpu us", "db us", "gcs", "gc ms"));
            var open = new Dictionary<ILedgerTarget, RunResult>();
            foreach (var target in targets)
            {
                var rate = options.Rate ?? (peaks[target].PerSecond / 2);
                var result = await load.OpenAsync(target, options.Duration, rate);
                open[target] = result;
                acknowledged[target] += result.Acknowledged;
                Console.WriteLine(string.Format(
                    Row, target.Name, $"{rate:N0}", $"{result.PerSecond:N0}", $"{result.P50Milliseconds:0.00}",
                    $"{result.P99Milliseconds:0.00}", $"{result.MaxMilliseconds:0.0}", $"{result.StartLagP99Milliseconds:0.00}",
                    $"{result.ProcessorMicrosecondsPerOperation:0}", Micros(result.ServerMicrosecondsPerOperation),
                    result.Collections, Pause(result)));
            }

            Console.WriteLine("  (lag p99: how late the harness itself started idle clients' operations; it is included in p50/p99)");
            clean &= Report(targets, open);
        }

        foreach (var target in targets)
        {
            var stored = await target.CountJournalAsync(CancellationToken.None);
            var verdict = stored >= acknowledged[target] ? "ok" : "MISSING ENTRIES";
            clean &= stored >= acknowledged[target];
            Console.WriteLine($"  durability check, {target.Name}: {acknowledged[target]:N0} acknowledged, {stored:N0} journal rows: {verdict}");
        }

        Console.WriteLine($"  machine load (1/5/15-minute averages) at the end of the workload: {MachineLoad.Describe()}");
        return clean;
    }

    /// <summary>Prints the first failure of each side that had any; true when none had.</summary>
    private static bool Report(List<ILedgerTarget> targets, Dictionary<ILedgerTarget, RunResult> results)
    {
        var clean = true;
        foreach (var target in targets)
        {
            if (results[target] is { Failed: > 0, FirstFailure: { } failure } result)
            {
                clean = false;
                Console.WriteLine($"  {target.Name}: {result.Failed:N0} operations failed; first: {failure.GetType().Name}: {failure.Message}");
            }
        }

        return clean;
    }

    private static string Pause(RunResult result) =>
        $"{result.MeanCollectionPauseMilliseconds:0.0}/{result.CollectionPauseMillisecondsPerSecond:0}";

    private static string Micros(double value) => double.IsNaN(value) ? "-" : $"{value:0}";

    private static double Median(List<double> sorted) => sorted.Count % 2 == 1
        ? sorted[sorted.Count / 2]
        : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
