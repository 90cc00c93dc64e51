using System.Globalization;
using System.Security.Cryptography;
using Grid.Bench.Gateway;
using Grid.Bench.Ledger;
using Grid.Stripe.TestKit.StandIn;

namespace Grid.Bench.Webhooks;

/// <summary>
/// Signed Stripe deliveries end to end: HTTP, signature check, the payment grain, the credit and its
/// processed-event row committed together, and only then 200; one delivery in ten a duplicate. The baseline, in
/// the same run with the same clients and accounts: operator deposits over HTTP. Rounds alternate; the ledger is
/// checked afterwards from the database.
/// </summary>
public static class WebhookBenchmark
{
    private const double Target = 5_000;

    private const string Row = "  {0,-9} {1,10} {2,10} {3,8} {4,8} {5,7} {6,7} {7,7} {8,5}";

    public static async Task<int> RunAsync(WebhookBenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var store = await BenchStore.CreateAsync("postgres", options.Clients);
        await using var stripe = await StripeStandIn.StartAsync();
        var secret = "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var settings = WebhookPayments.Settings(stripe, secret);
        var directory = Directory.CreateTempSubdirectory("grid-bench-webhooks-");
        GatewayBenchSilo? silo = null;
        try
        {
            silo = await GatewayBenchSilo.StartAsync(store.GridStorage, directory.FullName, settings);
            Console.WriteLine($"webhooks: {store.Describe()}");
            Console.WriteLine($"  machine load (1/5/15-minute averages) at start: {MachineLoad.Describe()}; {Environment.ProcessorCount} cores, .NET {Environment.Version}");

            var (payments, started, paid) = await WebhookPayments.PrepareAsync(silo, stripe, options.Payments, options.Clients);
            Console.WriteLine(
                $"  setup (not measured): {payments.Length:N0} accounts opened and a checkout started for each through the gateway " +
                $"(payment and Checkout Session at the Stripe stand-in) in {started.TotalSeconds:0.0} s; sessions paid, bodies built in {paid.TotalSeconds:0.0} s");

            async Task<Uri> RestartAsync()
            {
                var stopping = silo;
                silo = null;
                await stopping!.DisposeAsync();
                silo = await GatewayBenchSilo.StartAsync(store.GridStorage, directory.FullName, settings);
                return silo.Gateway;
            }

            var schedule = new DeliverySchedule(payments, new StripeSigner(secret));
            using var traffic = new WebhookTraffic(schedule, payments, options.Clients);
            traffic.PointAt(silo.Gateway);
            var clean = await MeasureAsync(traffic, schedule, payments, store, options);
            if (options.Profile > TimeSpan.Zero)
            {
                clean &= await ProfileAsync(traffic, schedule, store, options, RestartAsync);
            }

            Console.WriteLine(
                $"  in all: {schedule.FirstsAnsweredApplied:N0} payments credited and {schedule.DuplicatesSent:N0} duplicates answered, " +
                $"warm-up and profile included; {schedule.Remaining:N0} payments never delivered");
            Console.WriteLine();
            Console.WriteLine("correctness, read back from the database:");
            clean &= await WebhookLedgerCheck.RunAsync(store, payments, schedule, traffic.Deposited, CancellationToken.None);
            Console.WriteLine($"  machine load (1/5/15-minute averages) at the end: {MachineLoad.Describe()}");
            return clean ? 0 : 1;
        }
        finally
        {
            if (silo is not null)
            {
                await silo.DisposeAsync();
            }

            directory.Delete(recursive: true);
        }
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The warm-up and the alternating rounds; prints the rounds and the summary.</summary>
    private static async Task<bool> MeasureAsync(
        WebhookTraffic traffic, DeliverySchedule schedule, PreparedPayment[] payments, BenchStore store, WebhookBenchOptions options)
    {
        Console.WriteLine();
        Console.WriteLine(
            $"signed deliveries: {options.Clients} clients, each payment's checkout.session.completed ({payments[0].Body.Length:N0}-byte body, " +
            $"Stripe-Signature v1), one delivery in {DeliverySchedule.DuplicateEvery} a duplicate of one already acknowledged;");
        Console.WriteLine(
            $"  baseline: operator deposits of 1 credit over HTTP to the same {payments.Length:N0} accounts; " +
            $"{options.Duration.TotalSeconds:0} s per side in {options.Rounds} alternating rounds, one silo in this process on PostgreSQL");

        var loop = new ClosedLoop(options.Clients);
        var slice = options.Duration / options.Rounds;
        var clean = true;
        if (options.Warmup > TimeSpan.Zero)
        {
            OpenRound(schedule, options, options.Warmup);
            clean &= Report("warm-up webhooks", await loop.RunAsync(traffic.DeliverAsync, options.Warmup));
            clean &= Report("warm-up deposits", await loop.RunAsync(traffic.DepositAsync, options.Warmup));
        }

        // processed_events was empty when the setup's statistics were taken: measure with statistics that describe
        // it, as autovacuum would within a minute (with an empty table's, a payment's look-up reads every row's index entry).
        await store.AnalyzeAsync(CancellationToken.None);

        var webhooks = new SideRuns();
        var deposits = new SideRuns();
        var ranOut = 0;
        for (var round = 1; round <= options.Rounds; round++)
        {
            OpenRound(schedule, options, slice);
            var w = await webhooks.RunAsync(() => loop.RunAsync(traffic.DeliverAsync, slice), store);
            var d = await deposits.RunAsync(() => loop.RunAsync(traffic.DepositAsync, slice), store);
            var cutShort = w.Elapsed < slice * 0.98;
            ranOut += cutShort ? 1 : 0;
            Console.WriteLine(
                $"  round {round}: webhooks {w.PerSecond,9:N0}/s   deposits {d.PerSecond,9:N0}/s   ratio {w.PerSecond / d.PerSecond:0.00}" +
                (cutShort ? $"   (payments ran out after {w.Elapsed.TotalSeconds:0.0} s)" : ""));
        }

        var h = webhooks.Total;
        var o = deposits.Total;
        var ratios = webhooks.Runs.Zip(deposits.Runs, (w, d) => w.PerSecond / d.PerSecond).ToList();
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, Row, "side", "ops/s", "median", "p50 ms", "p99 ms", "failed", "cpu us", "db us", "gcs"));
        Console.WriteLine(webhooks.Describe("webhooks"));
        Console.WriteLine(deposits.Describe("deposits"));
        Console.WriteLine(
            "  (ops/s: over all rounds; median: of the rounds' ops/s; cpu us: this process's CPU per operation, silo and clients; " +
            "db us: the PostgreSQL server's CPU per operation, all its processes; gcs: collections in this process)");
        Console.WriteLine(
            $"  ratio webhooks/deposits: {h.PerSecond / o.PerSecond:0.00} (totals), {Median(ratios):0.00} (median of rounds); " +
            $"webhooks {h.PerSecond:N0} deliveries/s against a target of at least {Target:N0}/s: {(h.PerSecond >= Target ? "met" : "NOT MET")}");
        if (ranOut > 0)
        {
            Console.WriteLine($"  {ranOut} round(s) ran out of payments before their time: raise --payments for full rounds");
        }

        foreach (var failure in new[] { h.FirstFailure, o.FirstFailure }.OfType<Exception>())
        {
            Console.WriteLine($"  first failure: {failure.GetType().Name}: {failure.Message}");
        }

        return clean && h.Failed == 0 && o.Failed == 0;
    }

    /// <summary>
    /// Unmeasured rounds with the database commands counted: first deliveries as measured, duplicates alone (the
    /// path without the database), deposits, and first deliveries after a silo restart (every grain activated by
    /// its delivery, as after a deploy or once idle grains were collected).
    /// </summary>
    private static async Task<bool> ProfileAsync(
        WebhookTraffic traffic, DeliverySchedule schedule, BenchStore store, WebhookBenchOptions options, Func<Task<Uri>> restart)
    {
        var loop = new ClosedLoop(options.Clients);
        var seconds = options.Profile;
        Console.WriteLine();
        Console.WriteLine(
            $"where the time goes: {seconds.TotalSeconds:0} s more of each, not measured above, counting the database commands this process sends " +
            "(a batch is named by its first statement; commits are not counted; ms: from send to result, excluding the wait for a pooled connection)");
        var clean = true;
        OpenRound(schedule, options, seconds);
        clean &= await ProfileRoundAsync("webhooks", () => loop.RunAsync(traffic.DeliverAsync, seconds), store);
        schedule.OpenDuplicatesOnly();
        clean &= await ProfileRoundAsync("duplicates only (HTTP, signature, parsing, the payment grain's answer; no database)", () => loop.RunAsync(traffic.DeliverAsync, seconds), store);
        clean &= await ProfileRoundAsync("deposits", () => loop.RunAsync(traffic.DepositAsync, seconds), store);

        // A second of duplicates first opens the new silo's database connections (they would be counted here
        // otherwise) without touching the grains of the payments and accounts still to be credited.
        traffic.PointAt(await restart());
        schedule.OpenDuplicatesOnly();
        clean &= Report("duplicates after the restart", await loop.RunAsync(traffic.DeliverAsync, TimeSpan.FromSeconds(1)));
        OpenRound(schedule, options, seconds);
        clean &= await ProfileRoundAsync(
            "webhooks after a silo restart (each payment and account grain activated by its delivery)", () => loop.RunAsync(traffic.DeliverAsync, seconds), store);
        return clean;
    }

    /// <summary>Runs one side with the database's commands counted, and prints them per operation.</summary>
    private static async Task<bool> ProfileRoundAsync(string side, Func<Task<LoopResult>> run, BenchStore store)
    {
        var cost = new SideRuns();
        LoopResult result;
        IReadOnlyList<(string Statement, long Count, TimeSpan Total)> statements;
        using (var tally = new StatementTally())
        {
            result = await cost.RunAsync(run, store);
            statements = tally.Statements();
        }

        var operations = Math.Max(1, result.Operations);
        Console.WriteLine($"  {side}:");
        Console.WriteLine(
            $"    {result.PerSecond:N0}/s, p50 {result.P50Milliseconds:0.00} ms, p99 {result.P99Milliseconds:0.00} ms; " +
            $"cpu {cost.ProcessorMicroseconds:0} us, db {cost.ServerMicroseconds:0} us per operation; " +
            $"{statements.Sum(s => s.Count) / (double)operations:0.00} database commands per operation" + (statements.Count > 0 ? ":" : ""));
        foreach (var (statement, count, total) in statements.Where(s => s.Count * 50 >= operations))
        {
            Console.WriteLine($"    {count / (double)operations,5:0.00} x {total.TotalMilliseconds / count,6:0.00} ms  {statement}");
        }

        return Report(side, result);
    }

    /// <summary>Opens a round that uses payments: the warm-up, a measured round, or a profile round of first deliveries.</summary>
    private static void OpenRound(DeliverySchedule schedule, WebhookBenchOptions options, TimeSpan length) =>
        schedule.OpenRound(length, options.Warmup + options.Duration + (2 * options.Profile));

    private static bool Report(string what, LoopResult result)
    {
        if (result is { Failed: > 0, FirstFailure: { } failure })
        {
            Console.WriteLine($"  {what}: {result.Failed:N0} failed; first: {failure.GetType().Name}: {failure.Message}");
            return false;
        }

        return true;
    }
}
