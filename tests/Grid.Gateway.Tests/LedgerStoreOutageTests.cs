using System.Net;
using Grid.Gateway.Tests.Support;
using Grid.Storage;
using Grid.Storage.Stores;
using Npgsql;
using Xunit.Abstractions;

namespace Grid.Gateway.Tests;

/// <summary>
/// PostgreSQL stopped for a moment (a private server, so the shared one keeps serving other tests):
/// commands waiting on the store and commands sent while it is down fail with the retryable 503
/// <c>unavailable</c>, none of them is acknowledged or reaches the journal, and once the server is back
/// the same operation ids succeed exactly once.
/// </summary>
public sealed class LedgerStoreOutageTests(ITestOutputHelper output)
{
    private const string AdminKey = "outage-test-admin-key-0123456789";

    [Fact]
    public async Task Postgres_stopped_for_a_moment_fails_commands_as_unavailable_and_the_accounts_recover()
    {
        await using var server = await PrivatePostgresServer.StartNewAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync("grid")) { Timeout = 3 }.ConnectionString;
        using var directory = new TemporaryDirectory();
        await using var silo = SiloProcess.Start(directory.Path, new Dictionary<string, string>
        {
            ["Grid__Auth__AdminKey"] = AdminKey,
            ["Grid__Storage__Provider"] = "postgres",
            ["Grid__Storage__ConnectionString"] = connectionString,
        });
        await silo.WaitReadyAsync();
        var api = new LedgerApi(silo.Http, AdminKey);
        foreach (var account in new[] { "outage-a", "outage-b" })
        {
            await api.CreateAccountAsync(account);
            await api.DepositAsync(account, "seed", 10_000);
        }

        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/v1/accounts/outage-a/holds", new { operationId = "hold-1", amount = 1_000 })).Status);
        var issued = await api.PostAsync("/v1/keys", new { accountId = "outage-b", scopes = new[] { "read" } });
        Assert.True(issued.IsSuccess, issued.ToString());
        var accountKey = issued.Json.GetProperty("key").GetString()!;

        // Commands in flight: a lock on the journal keeps their append waiting inside its transaction.
        var waiting = new List<(string Path, string Body, Task<ApiResponse> Answer)>();
        var blocker = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await blocker.OpenAsync();
        await using (var begin = new NpgsqlCommand("BEGIN; LOCK TABLE journal IN EXCLUSIVE MODE", blocker))
        {
            await begin.ExecuteNonQueryAsync();
        }

        foreach (var (path, body) in Commands("wait"))
        {
            waiting.Add((path, body, api.PostJsonAsync(path, body)));
        }

        await Eventually.TrueAsync(async () => await CountBlockedAsync(blocker) >= 1, "an append waiting on the journal lock", TimeSpan.FromSeconds(30));
        await Task.Delay(300); // let every request reach its account; those that do not are new commands below, and fail alike
        Assert.All(waiting, w => Assert.False(w.Answer.IsCompleted, $"{w.Path} answered while its append was blocked"));

        await server.StopAsync(immediate: true);
        await blocker.DisposeAsync().AsTask().ContinueWith(_ => { }, TaskScheduler.Default);

        var failed = new List<(string Path, string Body)>();
        foreach (var (path, body, answer) in waiting)
        {
            AssertUnavailable(await answer.WaitAsync(TimeSpan.FromSeconds(60)), path);
            failed.Add((path, body));
        }

        // New commands and reads while the server is down.
        foreach (var (path, body) in Commands("down"))
        {
            AssertUnavailable(await api.PostJsonAsync(path, body), path);
            failed.Add((path, body));
        }

        AssertUnavailable(await api.GetAsync("/v1/accounts/outage-a"), "GET account");
        AssertUnavailable(await api.GetAsync("/v1/accounts/outage-b/journal"), "GET journal");
        // An account key is looked up in the database by the gateway itself: out of reach is 503 there too, not 500.
        AssertUnavailable(await new LedgerApi(silo.Http, accountKey).GetAsync("/v1/accounts/outage-b"), "GET account with an account key");

        await server.StartAsync();
        await using var database = GridDatabase.Create(new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = connectionString });
        var store = new SqlLedgerStore(database);
        var failedIds = failed.Select(f => OperationId(f.Body)).ToHashSet(StringComparer.Ordinal);
        foreach (var account in new[] { "outage-a", "outage-b" })
        {
            var journal = await store.ReadJournalAsync(account, 0, 1_000, CancellationToken.None);
            Assert.DoesNotContain(journal, e => failedIds.Contains(e.OperationId));
            Assert.Equal(account == "outage-a" ? 3 : 2, journal.Count);
        }

        // The same operations again: each succeeds, once. The first tries may still meet connections
        // the outage broke; a client retries 503s, and so does this one (bounded).
        foreach (var (path, body) in failed)
        {
            var answer = await RetryWhileUnavailableAsync(api, path, body);
            Assert.True(answer.IsSuccess, $"{path} {body} after recovery: {answer}");
            var again = await api.PostJsonAsync(path, body);
            Assert.Equal(answer.Text, again.Text);
        }

        foreach (var account in new[] { "outage-a", "outage-b" })
        {
            var journal = await store.ReadJournalAsync(account, 0, 1_000, CancellationToken.None);
            foreach (var id in failed.Where(f => f.Path.Contains(account, StringComparison.Ordinal)).Select(f => OperationId(f.Body)))
            {
                Assert.Single(journal, e => e.OperationId == id);
            }

            JournalAssert.Same(journal, await api.JournalAsync(account));
            var replayed = JournalAssert.Replay(journal);
            var balance = (await api.GetAsync($"/v1/accounts/{account}")).Json.GetProperty("balance");
            Assert.Equal(replayed.Available, balance.GetProperty("available").GetInt64());
            Assert.Equal(replayed.Held, balance.GetProperty("held").GetInt64());
            output.WriteLine($"{account}: {journal.Count} entries, available {replayed.Available}, held {replayed.Held}");
        }

        // outage-a: 10,000 - hold 1,000 (captured 300, rest released) + 2 x 100 deposits - 2 x 50 debits - 2 x 200 holds.
        var a = (await api.GetAsync("/v1/accounts/outage-a")).Json.GetProperty("balance");
        Assert.Equal(10_000 - 300 + 200 - 100 - 400, a.GetProperty("available").GetInt64());
        Assert.Equal(400, a.GetProperty("held").GetInt64());
        var b = (await api.GetAsync("/v1/accounts/outage-b")).Json.GetProperty("balance");
        Assert.Equal(10_000 + 200 - 100, b.GetProperty("available").GetInt64());
    }

    /// <summary>A mix of commands on two accounts; operation ids start with <paramref name="prefix"/>.</summary>
    private static IEnumerable<(string Path, string Body)> Commands(string prefix)
    {
        foreach (var account in new[] { "outage-a", "outage-b" })
        {
            yield return ($"/v1/accounts/{account}/deposits", $$"""{"operationId":"{{prefix}}-dep","amount":100}""");
            yield return ($"/v1/accounts/{account}/debits", $$"""{"operationId":"{{prefix}}-deb","amount":50}""");
        }

        yield return ("/v1/accounts/outage-a/holds", $$"""{"operationId":"{{prefix}}-hold","amount":200}""");
        if (prefix == "wait")
        {
            yield return ("/v1/accounts/outage-a/holds/hold-1/capture", """{"operationId":"wait-cap","amount":300}""");
        }
    }

    private static string OperationId(string body) =>
        System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("operationId").GetString()!;

    private static void AssertUnavailable(ApiResponse response, string what)
    {
        Assert.True(response.Status == HttpStatusCode.ServiceUnavailable, $"{what}: {response}");
        Assert.Equal("unavailable", response.Code);
        Assert.True(response.Headers.ContainsKey("Retry-After"), $"{what}: no Retry-After");
    }

    private static async Task<ApiResponse> RetryWhileUnavailableAsync(LedgerApi api, string path, string body)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var answer = await api.PostJsonAsync(path, body);
            if (answer.Status != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
            {
                return answer;
            }

            await Task.Delay(200);
        }
    }

    private static async Task<long> CountBlockedAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
            connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
