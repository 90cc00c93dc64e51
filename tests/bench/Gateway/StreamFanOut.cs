using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Grid.Bench.Ledger;

namespace Grid.Bench.Gateway;

/// <summary>
/// Balance-stream fan-out: S subscribers of one account over HTTP/1.1 (one connection each), then D deposits
/// one at a time; for each deposit and subscriber, the time from the deposit's acknowledgement (it is durable
/// by then) and from its request (an upper bound that includes the commit) to the entry's arrival.
/// </summary>
public static class StreamFanOut
{
    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(100);

    public static async Task<FanOutResult> RunAsync(Uri gateway, string accountId, int subscribers, int deliveries)
    {
        using var admin = new HttpClient { BaseAddress = gateway };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayBenchSilo.AdminKey);
        using var streams = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = subscribers + 1 })
        {
            BaseAddress = gateway,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        streams.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayBenchSilo.AdminKey);

        var after = await LastSequenceAsync(admin, accountId);
        var arrivals = new long[subscribers][];
        using var stop = new CancellationTokenSource();
        var opened = new Task<HttpResponseMessage>[subscribers];
        for (var s = 0; s < subscribers; s++)
        {
            arrivals[s] = new long[deliveries];
            opened[s] = streams.GetAsync($"/v1/accounts/{accountId}/stream?after={after}", HttpCompletionOption.ResponseHeadersRead);
        }

        // Headers come after the server subscribed: once every subscriber has them, none can miss an entry.
        var responses = await Task.WhenAll(opened);
        var readers = responses.Select((response, s) => ReadAsync(response, arrivals[s], after, stop.Token)).ToArray();

        var requested = new long[deliveries];
        var acknowledged = new long[deliveries];
        for (var d = 0; d < deliveries; d++)
        {
            requested[d] = Stopwatch.GetTimestamp();
            using var deposit = await admin.PostAsync(
                $"/v1/accounts/{accountId}/deposits",
                JsonContent($$"""{"operationId":"fanout-{{subscribers}}-{{d}}-{{after}}","amount":1}"""));
            acknowledged[d] = Stopwatch.GetTimestamp();
            deposit.EnsureSuccessStatusCode();
            await Task.Delay(Spacing);
        }

        var all = Task.WhenAll(readers);
        if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(30))) != all)
        {
            await stop.CancelAsync();
        }

        var missing = arrivals.Sum(a => a.Count(t => t == 0));
        var fromAck = new List<long>();
        var fromRequest = new List<long>();
        foreach (var subscriber in arrivals)
        {
            for (var d = 0; d < deliveries; d++)
            {
                if (subscriber[d] != 0)
                {
                    fromAck.Add(Math.Max(0, subscriber[d] - acknowledged[d]));
                    fromRequest.Add(subscriber[d] - requested[d]);
                }
            }
        }

        foreach (var response in responses)
        {
            response.Dispose();
        }

        return new FanOutResult(subscribers, deliveries, missing, Sorted(fromAck), Sorted(fromRequest));
    }

    private static async Task ReadAsync(HttpResponseMessage response, long[] arrivals, long after, CancellationToken stop)
    {
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop));
        var received = 0;
        try
        {
            while (received < arrivals.Length && await reader.ReadLineAsync(stop) is { } line)
            {
                if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    var index = long.Parse(line.AsSpan(4), CultureInfo.InvariantCulture) - after - 1;
                    arrivals[index] = Stopwatch.GetTimestamp();
                    received++;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Counted as missing.
        }
    }

    private static async Task<long> LastSequenceAsync(HttpClient admin, string accountId)
    {
        using var account = await admin.GetAsync($"/v1/accounts/{accountId}");
        account.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await account.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("balance").GetProperty("sequence").GetInt64();
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static long[] Sorted(List<long> ticks)
    {
        var sorted = ticks.ToArray();
        Array.Sort(sorted);
        return sorted;
    }
}

/// <summary>Fan-out delivery latencies, sorted (Stopwatch ticks), and how many deliveries never arrived.</summary>
public sealed record FanOutResult(int Subscribers, int Deliveries, long Missing, long[] FromAcknowledgement, long[] FromRequest)
{
    public string Describe() =>
        $"{Subscribers,5} subscriber(s) x {Deliveries} entries: from acknowledgement p50 {FromAcknowledgement.NearestRank(0.5),6:0.0} ms  p99 {FromAcknowledgement.NearestRank(0.99),6:0.0} ms" +
        $"   from request p50 {FromRequest.NearestRank(0.5),6:0.0} ms  p99 {FromRequest.NearestRank(0.99),6:0.0} ms   missing {Missing}";
}
