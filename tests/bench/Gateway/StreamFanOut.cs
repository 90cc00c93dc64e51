using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Grid.Bench.Ledger;
using Grid.Contracts.Accounts;
using Grid.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Grid.Bench.Gateway;

/// <summary>
/// Balance-stream fan-out: S subscribers of one account over HTTP/1.1 (one connection each), then D deposits
/// one at a time; for each deposit and subscriber, the time from the commit (the moment the account grain
/// publishes the durable append, observed inside the silo) and from the deposit's request (which adds the
/// commit itself) to the entry's arrival.
/// </summary>
public static class StreamFanOut
{
    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(100);

    private static ReadOnlySpan<byte> IdPrefix => "id: "u8;

    public static async Task<FanOutResult> RunAsync(GatewayBenchSilo silo, string accountId, int subscribers, int deliveries)
    {
        var gateway = silo.Gateway;
        using var admin = silo.AdminClient();
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
        var committed = new long[deliveries];
        var grains = silo.Services.GetRequiredService<IGrainFactory>();
        using var commits = silo.Services.GetRequiredService<IGrainEvents>()
            .Subscribe<JournalAppended>(grains.GetGrain<IAccountGrain>(accountId).GetGrainId(), capacity: deliveries + 16);
        var observer = Task.Run(async () =>
        {
            await foreach (var append in commits.Reader.ReadAllAsync(stop.Token))
            {
                var at = Stopwatch.GetTimestamp();
                foreach (var entry in append.Entries)
                {
                    var index = entry.Sequence - after - 1;
                    if (index >= 0 && index < deliveries)
                    {
                        committed[index] = at;
                    }
                }
            }
        });
        for (var d = 0; d < deliveries; d++)
        {
            requested[d] = Stopwatch.GetTimestamp();
            using var deposit = await admin.PostAsync(
                $"/v1/accounts/{accountId}/deposits",
                JsonContent($$"""{"operationId":"fanout-{{subscribers}}-{{d}}-{{after}}","amount":1}"""));
            deposit.EnsureSuccessStatusCode();
            await Task.Delay(Spacing);
        }

        var all = Task.WhenAll(readers);
        await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(30)));

        await stop.CancelAsync();
        await observer.ContinueWith(static _ => { }, TaskScheduler.Default);
        var missing = arrivals.Sum(a => a.Count(t => t == 0));
        var fromCommit = new List<long>();
        var fromRequest = new List<long>();
        foreach (var subscriber in arrivals)
        {
            for (var d = 0; d < deliveries; d++)
            {
                if (subscriber[d] != 0 && committed[d] != 0)
                {
                    fromCommit.Add(subscriber[d] - committed[d]);
                    fromRequest.Add(subscriber[d] - requested[d]);
                }
            }
        }

        foreach (var response in responses)
        {
            response.Dispose();
        }

        return new FanOutResult(subscribers, deliveries, missing, Sorted(fromCommit), Sorted(fromRequest));
    }

    /// <summary>
    /// Reads one subscriber's events and stamps each entry's arrival. It scans bytes for <c>id: </c> lines, as a
    /// browser's native EventSource would, so the 1,000 readers cost this shared machine as little as they can.
    /// </summary>
    private static async Task ReadAsync(HttpResponseMessage response, long[] arrivals, long after, CancellationToken stop)
    {
        response.EnsureSuccessStatusCode();
        var reader = PipeReader.Create(await response.Content.ReadAsStreamAsync(stop));
        var received = 0;
        try
        {
            while (received < arrivals.Length)
            {
                var result = await reader.ReadAsync(stop);
                var buffer = result.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    var line = buffer.Slice(0, end);
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                    if (line.Length > IdPrefix.Length && line.FirstSpan.StartsWith(IdPrefix)
                        && Utf8Parser.TryParse(line.ToArray().AsSpan(IdPrefix.Length), out long id, out _))
                    {
                        arrivals[id - after - 1] = Stopwatch.GetTimestamp();
                        received++;
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Counted as missing.
        }
        finally
        {
            await reader.CompleteAsync();
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
public sealed record FanOutResult(int Subscribers, int Deliveries, long Missing, long[] FromCommit, long[] FromRequest)
{
    public string Describe() =>
        $"{Subscribers,5} subscriber(s) x {Deliveries} entries: from commit p50 {FromCommit.NearestRank(0.5),6:0.0} ms  p99 {FromCommit.NearestRank(0.99),6:0.0} ms" +
        $"   from request p50 {FromRequest.NearestRank(0.5),6:0.0} ms  p99 {FromRequest.NearestRank(0.99),6:0.0} ms   missing {Missing}";
}
