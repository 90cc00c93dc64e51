using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Grid.Gateway.Tests.Support;
using Xunit.Abstractions;

namespace Grid.Gateway.Tests;

/// <summary>
/// 2,000 malformed or random requests across every gateway route, from a fixed seed (GRID_FUZZ_SEED overrides
/// it): never a 5xx, every refusal is problem+json with a code, nothing but a read ever succeeds, and the store
/// (accounts, journal, holds' reminders, keys) is the same row for row afterwards.
/// </summary>
public sealed class GatewayFuzzTests(LedgerSiloFixture fixture, ITestOutputHelper output) : IClassFixture<LedgerSiloFixture>
{
    public const string SeedVariable = "GRID_FUZZ_SEED";
    private const int DefaultSeed = 20_261_121;
    private const int RequestCount = 2_000;
    private const int Parallelism = 4;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Two_thousand_bad_requests_get_problems_and_change_nothing()
    {
        var seed = Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : DefaultSeed;
        output.WriteLine($"fuzz seed {seed} (rerun with {SeedVariable}={seed})");

        var targets = await SeedAsync();
        var fuzzer = new GatewayFuzzer(seed, targets);
        var requests = Enumerable.Range(0, RequestCount).Select(fuzzer.Next).ToArray();
        var before = await StoreSnapshot.TakeAsync(fixture.DataDirectory);

        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = Parallelism })
        {
            BaseAddress = fixture.Silo.BaseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var started = DateTime.UtcNow;
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (request, _) =>
        {
            var (status, failure) = await SendAsync(http, request);
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            if (failure is not null)
            {
                failures.Enqueue($"{failure}\n    {request}");
            }
        });
        output.WriteLine($"{RequestCount} requests in {(DateTime.UtcNow - started).TotalSeconds:F1} s; statuses: "
            + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} x{s.Value}")));

        Assert.True(failures.IsEmpty, $"seed {seed}: {failures.Count} of {RequestCount} requests were answered wrongly:\n"
            + string.Join("\n", failures.Take(25)));
        var after = await StoreSnapshot.TakeAsync(fixture.DataDirectory);
        Assert.Equal(before.Keys, after.Keys);
        foreach (var (table, rows) in before)
        {
            Assert.True(rows.SequenceEqual(after[table]), $"seed {seed}: table {table} changed:\nbefore:\n{string.Join("\n", rows)}\nafter:\n{string.Join("\n", after[table])}");
        }

        Assert.True(statuses.Keys.Count(s => s >= 400) >= 6, "the requests should meet many kinds of refusal");
        Assert.Contains(statuses.Keys, s => s is >= 200 and < 300);
    }

    /// <summary>What a request got, and what was wrong with that (null: nothing).</summary>
    private static async Task<(int Status, string? Failure)> SendAsync(HttpClient http, FuzzRequest request)
    {
        using var timeout = new CancellationTokenSource(RequestTimeout);
        using var message = request.ToMessage(http.BaseAddress!);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (Exception error) when (error is HttpRequestException or OperationCanceledException)
        {
            return (0, $"no answer: {error.GetType().Name}: {error.Message}");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (status >= 500)
            {
                return (status, $"{status} {Shorten(await BodyAsync(response, timeout.Token))}");
            }

            if (status is >= 200 and < 300)
            {
                // Only reads may succeed; a stream is judged by its headers alone (its body never ends).
                return request.Method.Equals("GET", StringComparison.OrdinalIgnoreCase)
                    ? (status, null)
                    : (status, $"{status}: a request that must fail succeeded: {Shorten(await BodyAsync(response, timeout.Token))}");
            }

            if (mediaType != "application/problem+json")
            {
                return (status, $"{status} as {mediaType ?? "(no content type)"}, not problem+json: {Shorten(await BodyAsync(response, timeout.Token))}");
            }

            if (request.Method == "HEAD")
            {
                return (status, null); // headers only
            }

            var body = await BodyAsync(response, timeout.Token);
            try
            {
                using var problem = JsonDocument.Parse(body);
                var root = problem.RootElement;
                var code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                var said = root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : 0;
                return string.IsNullOrEmpty(code) || said != status
                    ? (status, $"{status}: problem without a code or with status {said}: {Shorten(body)}")
                    : (status, null);
            }
            catch (JsonException)
            {
                return (status, $"{status}: problem+json that is not JSON: {Shorten(body)}");
            }
        }
    }

    private static string Shorten(string text) => text.Length <= 500 ? text : text[..500] + "...";

    private static async Task<string> BodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception error) when (error is HttpRequestException or OperationCanceledException)
        {
            return $"(body unread: {error.GetType().Name})";
        }
    }

    /// <summary>
    /// A funded account with an open hold, a frozen one, and account keys of several scopes (one revoked): the
    /// things a bad request could change if the gateway let it through.
    /// </summary>
    private async Task<FuzzTargets> SeedAsync()
    {
        var api = fixture.Api;
        var funded = await api.CreateAccountAsync("fuzz-funded");
        await api.DepositAsync(funded, "fuzz-fund", 10_000);
        var hold = await api.PostAsync($"/v1/accounts/{funded}/holds", new { operationId = "fuzz-hold", amount = 500 });
        Assert.True(hold.Status == HttpStatusCode.Created, hold.ToString());

        var frozen = await api.CreateAccountAsync("fuzz-frozen");
        await api.DepositAsync(frozen, "fuzz-fund", 100);
        var freeze = await api.PostAsync($"/v1/accounts/{frozen}/freeze", new { operationId = "fuzz-freeze" });
        Assert.True(freeze.Status == HttpStatusCode.OK, freeze.ToString());

        var keys = new List<string>();
        var ids = new List<string>();
        foreach (var (account, scope) in new[] { (funded, "read"), (funded, "charge"), (funded, "admin"), (frozen, "admin"), (funded, "charge") })
        {
            var issued = await api.PostAsync("/v1/keys", new { accountId = account, scopes = new[] { scope }, name = "fuzz" });
            Assert.True(issued.Status == HttpStatusCode.Created, issued.ToString());
            keys.Add(issued.Json.GetProperty("key").GetString()!);
            ids.Add(issued.Json.GetProperty("id").GetString()!);
        }

        var revoked = await api.SendAsync(HttpMethod.Delete, $"/v1/keys/{ids[^1]}");
        Assert.True(revoked.Status == HttpStatusCode.NoContent, revoked.ToString());
        return new FuzzTargets(funded, frozen, "fuzz-hold", LedgerSiloFixture.AdminKey, keys, ids);
    }
}
