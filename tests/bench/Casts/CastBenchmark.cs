using System.Diagnostics;
using Grid.Bench.Ledger;
using Grid.Contracts.Casts;

namespace Grid.Bench.Casts;

/// <summary>
/// Full cast lifecycles per second (start, then complete at a price): the grid's cast grains against the
/// baseline ledger doing the same hold and capture per cast, one transaction each, same database, same clients,
/// same run. Closed-loop rounds alternate between the sides so machine noise falls on both; afterwards each
/// side's journal and balances are checked against what its clients were told.
/// </summary>
public static class CastBenchmark
{
    private const string Row = "  {0,-24}{1,12}{2,10}{3,10}{4,10}{5,9}{6,9}{7,9}{8,6}{9,10}";

    public static async Task<int> RunAsync(CastBenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var store = await BenchStore.CreateAsync(options.Store, options.Clients);
        await using var grid = await GridTarget.StartAsync(store, "gc", merge: true, writers: null, announce: false);
        await using var ledgerGrid = options.GridLedgerSide ? await GridTarget.StartAsync(store, "gl", merge: true, writers: null, announce: false) : null;
        var hold = CastPricing.HoldFor(options.Quote, options.BufferPercent);
        var sides = new List<ICastSide> { new GridCasts(grid, store, options.Quote, options.BufferPercent) };
        if (ledgerGrid is not null)
        {
            sides.Add(new GridHoldCaptures(ledgerGrid, store));
        }

        sides.Add(new BaselineCasts(new BaselineLedger(store, "bc"), store));
        Console.WriteLine($"casts: {store.Describe()}");
        Console.WriteLine($"  machine load (1/5/15-minute averages) at start: {MachineLoad.Describe()}");
        Console.WriteLine(
            $"  {options.Clients} closed-loop clients per side over {options.Accounts:N0} accounts; {options.Duration.TotalSeconds:0} s per side in " +
            $"{options.Rounds} rounds after {options.Warmup.TotalSeconds:0} s warm-up; {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        Console.WriteLine(
            $"  a lifecycle: quote {options.Quote} + {options.BufferPercent}% buffer = hold {hold}, then complete at a random price 1..{hold}; " +
            "timed from its start to the capture's acknowledgement");
        Console.WriteLine($"  grid: in-process silo ({grid.Name}; AddLedger + AddCasts) called through ICastGrain.Start + Complete");
        if (ledgerGrid is not null)
        {
            Console.WriteLine("  grid hold+capture: a second in-process silo whose account grains do the same hold and capture, no cast grain");
        }

        Console.WriteLine($"  baseline: HoldAsync + CaptureAsync, one transaction each; {store.BaselineNote}");

        var accounts = LedgerWorkload.Create(LedgerWorkload.Uniform, options.Accounts);
        var charges = sides.ToDictionary(s => s, _ => new CastCharges(options.Accounts));
        foreach (var side in sides)
        {
            var preparing = Stopwatch.StartNew();
            await side.PrepareAsync(accounts, CancellationToken.None);
            Console.WriteLine($"  {side.Name}: {options.Accounts:N0} account(s) opened and funded in {preparing.Elapsed.TotalSeconds:0.0} s");
        }

        var load = new CastLoad(options.Accounts, options.Clients, hold, store.ServerProcessorTime);
        if (options.Warmup > TimeSpan.Zero)
        {
            foreach (var side in sides)
            {
                await load.ClosedAsync(side, charges[side], options.Warmup);
            }
        }

        // The database is minutes old: measure with statistics that describe it, as autovacuum soon would.
        await store.AnalyzeAsync(CancellationToken.None);
        Console.WriteLine("  warmed up; planner statistics refreshed (ANALYZE)");

        var rounds = sides.ToDictionary(s => s, _ => new List<RunResult>());
        var roundRatios = new List<double>();
        var (gridSide, baseline) = (sides[0], sides[^1]);
        for (var round = 0; round < options.Rounds; round++)
        {
            foreach (var side in sides)
            {
                rounds[side].Add(await load.ClosedAsync(side, charges[side], options.Duration / options.Rounds));
            }

            roundRatios.Add(rounds[gridSide][^1].PerSecond / rounds[baseline][^1].PerSecond);
            var results = string.Join("   ", sides.Select(s => $"{s.Name} {rounds[s][^1].PerSecond,8:N0}"));
            Console.WriteLine($"  round {round + 1}: {results} lifecycles/s   ratio {roundRatios[^1]:0.0}");
        }

        var totals = sides.ToDictionary(s => s, s => RunResult.Sum(rounds[s]));
        Console.WriteLine($"  closed loop, {options.Clients} clients:");
        Console.WriteLine(string.Format(Row, "side", "casts/s", "p50 ms", "p99 ms", "max ms", "failed", "cpu us", "db us", "gcs", "gc ms"));
        foreach (var side in sides)
        {
            var total = totals[side];
            Console.WriteLine(string.Format(
                Row, side.Name, $"{total.PerSecond:N0}", $"{total.P50Milliseconds:0.00}", $"{total.P99Milliseconds:0.00}",
                $"{total.MaxMilliseconds:0.0}", $"{total.Failed:N0}", $"{total.ProcessorMicrosecondsPerOperation:0}",
                double.IsNaN(total.ServerMicrosecondsPerOperation) ? "-" : $"{total.ServerMicrosecondsPerOperation:0}",
                total.Collections, $"{total.MeanCollectionPauseMilliseconds:0.0}/{total.CollectionPauseMillisecondsPerSecond:0}"));
        }

        Console.WriteLine(
            "  (cpu us: this process's CPU per lifecycle: grid = silo + clients, baseline = clients + driver; " +
            "db us: the PostgreSQL server's CPU per lifecycle; gcs: garbage collections; gc ms: mean pause / pause per second of run)");
        roundRatios.Sort();
        var ratio = totals[gridSide].PerSecond / totals[baseline].PerSecond;
        Console.WriteLine(
            $"  ratio {gridSide.Name}/{baseline.Name}: {ratio:0.0}x lifecycles/s (totals), {roundRatios[roundRatios.Count / 2]:0.0}x (median of rounds); " +
            $"target at least 10x: {(ratio >= 10 ? "met" : "NOT met")}");
        if (ledgerGrid is not null)
        {
            var ledgerSide = sides[1];
            Console.WriteLine(
                $"  ratio {ledgerSide.Name}/{baseline.Name}: {totals[ledgerSide].PerSecond / totals[baseline].PerSecond:0.0}x; " +
                $"the cast grain keeps {totals[gridSide].PerSecond / totals[ledgerSide].PerSecond:0.00} of the account grains' rate");
        }

        var clean = true;
        foreach (var side in sides)
        {
            clean &= await CheckAsync(side, charges[side], totals[side].FirstFailure, options.Accounts);
        }

        Console.WriteLine($"  machine load (1/5/15-minute averages) at the end: {MachineLoad.Describe()}");
        return clean ? 0 : 1;
    }

    /// <summary>
    /// Every acknowledged cast's capture is in the journal once, and every account holds its funding less the prices
    /// of its acknowledged casts, nothing held. A lifecycle that threw leaves its outcome unknown, so any fails the check.
    /// </summary>
    private static async Task<bool> CheckAsync(ICastSide side, CastCharges charges, Exception? firstFailure, int accounts)
    {
        var stored = await side.ReadAsync(CancellationToken.None);
        var problems = new List<string>();
        if (charges.Failed > 0)
        {
            problems.Add($"{charges.Failed:N0} lifecycles failed; first: {firstFailure?.GetType().Name}: {firstFailure?.Message}");
        }

        if (stored.Captures != charges.Acknowledged || stored.DistinctCaptures != stored.Captures)
        {
            problems.Add($"{stored.Captures:N0} capture entries ({stored.DistinctCaptures:N0} distinct) for {charges.Acknowledged:N0} acknowledged casts");
        }

        if (stored.UsageRecords is { } usage && usage != charges.Acknowledged)
        {
            problems.Add($"{usage:N0} usage records for {charges.Acknowledged:N0} acknowledged casts");
        }

        var wrong = 0;
        string? firstWrong = null;
        for (var account = 0; account < accounts; account++)
        {
            var id = side.AccountId(account);
            var expected = LedgerWorkload.Funding - charges.ChargedTo(account);
            if (!stored.Balances.TryGetValue(id, out var balance) || balance.Available != expected || balance.Held != 0)
            {
                wrong++;
                firstWrong ??= $"{id}: {balance.Available} available, {balance.Held} held; expected {expected}, 0";
            }
        }

        if (wrong > 0)
        {
            problems.Add($"{wrong:N0} account balance(s) wrong; first {firstWrong}");
        }

        var usageNote = stored.UsageRecords is { } records ? $", {records:N0} usage records" : string.Empty;
        Console.WriteLine(problems.Count == 0
            ? $"  ledger check, {side.Name}: {charges.Acknowledged:N0} acknowledged casts, {stored.Captures:N0} captures journaled once each{usageNote}, " +
              $"{accounts:N0} balances = funding - prices: ok"
            : $"  ledger check, {side.Name}: FAILED: {string.Join("; ", problems)}");
        return problems.Count == 0;
    }
}
