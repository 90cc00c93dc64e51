using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Grid.Bench.Cluster;
using Grid.Bench.Ledger;
using Grid.Client;
using Grid.Contracts.Accounts;
using Grid.Ledger.Commands;
using Grid.Runtime;

namespace Grid.Bench.Gateway;

/// <summary>
/// (a) Debits over HTTP (keep-alive, one account key per account, auth and rate limiting included) against the
/// same debits through the embedded GridClient, on the same silo and database; rounds alternate.
/// (b) Balance-stream fan-out at 1 and at S subscribers.
/// </summary>
public static class GatewayBenchmark
{
    private const long Funding = 1_000_000_000;

    public static async Task<int> RunAsync(GatewayBenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var store = await BenchStore.CreateAsync("postgres", options.Clients);
        var directory = Directory.CreateTempSubdirectory("grid-bench-gateway-");
        try
        {
            await using var silo = await GatewayBenchSilo.StartAsync(store.GridStorage, directory.FullName);
            Console.WriteLine($"gateway: {store.Describe()}");
            Console.WriteLine($"  machine load (1/5/15-minute averages) at start: {MachineLoad.Describe()}; {Environment.ProcessorCount} cores, .NET {Environment.Version}");
            var clean = await DebitsAsync(silo, options);
            await FanOutAsync(silo, options);
            return clean ? 0 : 1;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<bool> DebitsAsync(GatewayBenchSilo silo, GatewayBenchOptions options)
    {
        using var admin = silo.AdminClient();
        var accounts = Enumerable.Range(0, options.Accounts).Select(i => "gw-" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var keys = new string[accounts.Length];
        await Parallel.ForAsync(0, accounts.Length, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            await PostAsync(admin, "/v1/accounts", $$"""{"id":"{{accounts[i]}}"}""");
            await PostAsync(admin, $"/v1/accounts/{accounts[i]}/deposits", $$"""{"operationId":"fund","amount":{{Funding}}}""");
            using var key = JsonDocument.Parse(await PostAsync(admin, "/v1/keys", $$"""{"accountId":"{{accounts[i]}}","scopes":["charge"]}"""));
            keys[i] = "Bearer " + key.RootElement.GetProperty("key").GetString();
        });

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Clients, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = silo.Gateway,
        };
        var clientOptions = new GridClientOptions { Endpoints = [silo.Cluster], Secret = BenchSilo.Secret };
        await using var embedded = await GridClient.ConnectAsync(clientOptions);

        async Task OverHttp(int client, long n)
        {
            var account = (int)((uint)HashCode.Combine(client, n) % (uint)accounts.Length);
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/accounts/{accounts[account]}/debits")
            {
                Content = new ByteArrayContent(Encoding.UTF8.GetBytes($$"""{"operationId":"h-{{client}}-{{n}}","amount":1}""")),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation("Authorization", keys[account]);
            using var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            await response.Content.ReadAsByteArrayAsync();
        }

        Task Embedded(int client, long n)
        {
            var account = (int)((uint)HashCode.Combine(client, n) % (uint)accounts.Length);
            return embedded.GetGrain<IAccountGrain>(accounts[account]).Execute(new Debit($"e-{client}-{n}", 1));
        }

        Console.WriteLine();
        Console.WriteLine($"debits: {options.Clients} clients, {accounts.Length:N0} accounts (each with its own charge key), amount 1, one silo in this process on PostgreSQL;");
        Console.WriteLine($"  HTTP/1.1 keep-alive to the gateway vs the embedded GridClient to the cluster port, {options.Duration.TotalSeconds:0} s per side in {options.Rounds} alternating rounds");
        var loop = new ClosedLoop(options.Clients);
        if (options.Warmup > TimeSpan.Zero)
        {
            await loop.RunAsync(OverHttp, options.Warmup);
            await loop.RunAsync(Embedded, options.Warmup);
        }

        var overHttp = new List<LoopResult>();
        var throughClient = new List<LoopResult>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            overHttp.Add(await loop.RunAsync(OverHttp, options.Duration / options.Rounds));
            throughClient.Add(await loop.RunAsync(Embedded, options.Duration / options.Rounds));
            Console.WriteLine($"  round {round}: HTTP {overHttp[^1].PerSecond,9:N0}/s   embedded {throughClient[^1].PerSecond,9:N0}/s   ratio {overHttp[^1].PerSecond / throughClient[^1].PerSecond:0.00}");
        }

        var h = LoopResult.Sum(overHttp);
        var e = LoopResult.Sum(throughClient);
        Console.WriteLine($"  HTTP gateway      {h.PerSecond,10:N0} debits/s   p50 {h.P50Milliseconds:0.00} ms   p99 {h.P99Milliseconds:0.00} ms   failed {h.Failed:N0}");
        Console.WriteLine($"  embedded client   {e.PerSecond,10:N0} debits/s   p50 {e.P50Milliseconds:0.00} ms   p99 {e.P99Milliseconds:0.00} ms   failed {e.Failed:N0}");
        Console.WriteLine($"  ratio HTTP/embedded: {h.PerSecond / e.PerSecond:0.00} (target at least 0.30)");
        foreach (var failure in new[] { h.FirstFailure, e.FirstFailure }.OfType<Exception>())
        {
            Console.WriteLine($"  first failure: {failure.GetType().Name}: {failure.Message}");
        }

        return h.Failed == 0 && e.Failed == 0;
    }

    private static async Task FanOutAsync(GatewayBenchSilo silo, GatewayBenchOptions options)
    {
        using var admin = silo.AdminClient();
        await PostAsync(admin, "/v1/accounts", """{"id":"fanout"}""");
        Console.WriteLine();
        Console.WriteLine($"stream fan-out: one account, SSE subscribers over HTTP/1.1 in this process, {options.Deliveries} deposits 100 ms apart; time to each subscriber's arrival");
        var one = await StreamFanOut.RunAsync(silo, "fanout", 1, options.Deliveries);
        Console.WriteLine("  " + one.Describe());
        var many = await StreamFanOut.RunAsync(silo, "fanout", options.Subscribers, options.Deliveries);
        Console.WriteLine("  " + many.Describe());
        Console.WriteLine($"  p99 from commit at {options.Subscribers:N0} subscribers: {many.FromCommit.NearestRank(0.99):0.0} ms (target under 50 ms)");
    }

    private static async Task<string> PostAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        }

        return text;
    }
}
