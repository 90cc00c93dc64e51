using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Grid.Bench.Ledger;
using Grid.Bench.Runtime;
using Grid.Runtime;
using Grid.Runtime.Transport;

namespace Grid.Bench.Cluster;

/// <summary>
/// (a) Grain calls from one silo to grains another silo owns, over loopback, against the same HTTP/2 request
/// and response without grains (the transport's floor) and against local calls; rounds alternate.
/// (b) The ledger's uniform workload from embedded clients on 1 and on 3 silos over the same PostgreSQL.
/// </summary>
public static class ClusterBenchmark
{
    public static async Task<int> RunAsync(ClusterBenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var store = await BenchStore.CreateAsync("postgres", options.Clients);
        Console.WriteLine($"cluster: {store.Describe()}");
        Console.WriteLine($"  machine load (1/5/15-minute averages) at start: {MachineLoad.Describe()}; {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        await CrossSiloCallsAsync(store, options);
        return options.Ledger ? await LedgerOnSilosAsync(store, options) : 0;
    }

    private static async Task CrossSiloCallsAsync(BenchStore store, ClusterBenchOptions options)
    {
        await using var a = await BenchSilo.StartAsync(store.GridStorage, "a", FreePort());
        await using var b = await BenchSilo.StartAsync(store.GridStorage, "b", FreePort());
        await SettleAsync([a, b]);

        // Keys b owns, as a sees it: every call from a to them crosses to b.
        var owner = a.Membership.View;
        var remoteKeys = Enumerable.Range(0, int.MaxValue)
            .Select(i => "k-" + i.ToString(CultureInfo.InvariantCulture))
            .Where(k => owner.OwnerOf(new GrainId("benchcounter", k))!.Name == "b")
            .Take(options.Keys)
            .ToArray();
        var echoBody = EchoBody(remoteKeys[0]);
        using var echo = new EchoClient(b.Endpoint, echoBody);
        var load = new CallLoad(options.Callers, options.Keys, yieldEvery: 1);
        Func<string, Task<long>> remote = key => a.Grains.GetGrain<IBenchCounterGrain>(key).Increment(1);
        Func<string, Task<long>> local = key => b.Grains.GetGrain<IBenchCounterGrain>(key).Increment(1);
        Func<string, Task<long>> http = _ => echo.SendAsync();

        Console.WriteLine();
        Console.WriteLine($"cross-silo calls: 2 silos in this process on loopback, {options.Callers} concurrent callers on silo a, {options.Keys:N0} grains owned by silo b,");
        Console.WriteLine($"  {options.Duration.TotalSeconds:0} s per side in {options.Rounds} rounds; a call is IBenchCounterGrain.Increment(1) (request {echoBody.Length} bytes of JSON)");
        Console.WriteLine("  baseline: the same HTTP/2 request and response through the same Kestrel and HttpClient settings, echoed without grains");
        if (options.Warmup > TimeSpan.Zero)
        {
            await load.RunAsync(remote, options.Warmup, remoteKeys);
            await load.RunAsync(http, options.Warmup, remoteKeys);
            await load.RunAsync(local, options.Warmup, remoteKeys);
        }

        var totals = new Dictionary<string, (long Calls, TimeSpan Elapsed)> { ["remote"] = default, ["http"] = default, ["local"] = default };
        var ratios = new List<double>();
        var slice = options.Duration / options.Rounds;
        for (var round = 1; round <= options.Rounds; round++)
        {
            var r = await load.RunAsync(remote, slice, remoteKeys);
            var h = await load.RunAsync(http, slice, remoteKeys);
            var l = await load.RunAsync(local, slice, remoteKeys);
            Add(totals, "remote", r);
            Add(totals, "http", h);
            Add(totals, "local", l);
            ratios.Add(r.PerSecond / h.PerSecond);
            Console.WriteLine($"  round {round}: grid a->b {r.PerSecond,10:N0}/s   bare HTTP/2 {h.PerSecond,10:N0}/s   ratio {ratios[^1]:0.00}   (local on b {l.PerSecond,12:N0}/s)");
        }

        ratios.Sort();
        double PerSecond(string side) => totals[side].Calls / totals[side].Elapsed.TotalSeconds;
        Console.WriteLine($"  grid cross-silo calls      {PerSecond("remote"),12:N0}/s");
        Console.WriteLine($"  bare HTTP/2 echo           {PerSecond("http"),12:N0}/s");
        Console.WriteLine($"  local calls (reference)    {PerSecond("local"),12:N0}/s");
        Console.WriteLine($"  ratio grid/bare HTTP/2: {PerSecond("remote") / PerSecond("http"):0.00} (totals), {ratios[ratios.Count / 2]:0.00} (median of rounds)");
    }

    private static async Task<int> LedgerOnSilosAsync(BenchStore store, ClusterBenchOptions options)
    {
        var workload = LedgerWorkload.Create("uniform", options.Accounts);
        // Silos meet through their database's membership table: the 3-silo side gets a database of its own on
        // the same server, or all four silos would form one cluster.
        await using var ownCluster = await BenchStore.CreateAsync("postgres", options.Clients);
        Console.WriteLine();
        Console.WriteLine($"ledger on 1 and on 3 silos: workload {workload.Describe()}; {options.Clients} clients of one embedded GridClient per side,");
        Console.WriteLine($"  {options.Duration.TotalSeconds:0} s per side in {options.Rounds} alternating rounds; all silos in this process, one PostgreSQL server (a database per side)");
        var sides = new List<ClientLedgerTarget>();
        try
        {
            sides.Add(await ClientLedgerTarget.StartAsync(store, silos: 1));
            sides.Add(await ClientLedgerTarget.StartAsync(ownCluster, silos: 3));
            foreach (var side in sides)
            {
                await side.PrepareAsync(workload, CancellationToken.None);
            }

            var load = new LedgerLoad(workload, options.Clients, store.ServerProcessorTime);
            foreach (var side in sides)
            {
                await load.ClosedAsync(side, options.Warmup);
            }

            var results = sides.ToDictionary(s => s, _ => new List<RunResult>());
            for (var round = 1; round <= options.Rounds; round++)
            {
                foreach (var side in sides)
                {
                    results[side].Add(await load.ClosedAsync(side, options.Duration / options.Rounds));
                }

                Console.WriteLine($"  round {round}: " + string.Join("   ", sides.Select(s => $"{s.Name} {results[s][^1].PerSecond,9:N0} ops/s")));
            }

            var clean = true;
            foreach (var side in sides)
            {
                var total = RunResult.Sum(results[side]);
                Console.WriteLine($"  {side.Name,-10} {total.PerSecond,10:N0} ops/s   p50 {total.P50Milliseconds:0.00} ms   p99 {total.P99Milliseconds:0.00} ms   failed {total.Failed:N0}");
                clean &= total.Failed == 0;
            }

            var one = RunResult.Sum(results[sides[0]]).PerSecond;
            var three = RunResult.Sum(results[sides[1]]).PerSecond;
            Console.WriteLine($"  3 silos / 1 silo: {three / one:0.00} (one machine of {Environment.ProcessorCount} cores: more silos add hops and processes' worth of work, not cores)");
            return clean ? 0 : 1;
        }
        finally
        {
            foreach (var side in sides)
            {
                await side.DisposeAsync();
            }
        }
    }

    private static void Add(Dictionary<string, (long Calls, TimeSpan Elapsed)> totals, string side, LoadResult result) =>
        totals[side] = (totals[side].Calls + result.Calls, totals[side].Elapsed + result.Elapsed);

    internal static async Task SettleAsync(IReadOnlyList<BenchSilo> silos)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            foreach (var silo in silos)
            {
                await silo.Membership.RefreshAsync(CancellationToken.None);
            }

            if (silos.All(s => s.Membership.View.Silos.Count == silos.Count))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("The bench silos did not see each other within 10 s.");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static byte[] EchoBody(string key) =>
        System.Text.Encoding.UTF8.GetBytes(
            $$"""{"type":"benchcounter","key":"{{key}}","interface":"Grid.Bench.Runtime.IBenchCounterGrain","method":"Increment_0","timeoutMs":30000,"arguments":[1]}""");

    /// <summary>The baseline's client: the same HttpClient settings as the grid's sender, posting a fixed body.</summary>
    private sealed class EchoClient(Uri endpoint, byte[] body) : IDisposable
    {
        private readonly HttpClient _http = new(new SocketsHttpHandler { EnableMultipleHttp2Connections = true });
        private readonly Uri _echo = new(endpoint, "/echo");

        public async Task<long> SendAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _echo)
            {
                Content = new ByteArrayContent(body),
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BenchSilo.Secret);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            var echoed = await response.Content.ReadAsByteArrayAsync();
            return echoed.Length;
        }

        public void Dispose() => _http.Dispose();
    }
}
