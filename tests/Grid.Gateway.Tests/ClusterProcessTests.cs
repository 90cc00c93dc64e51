using System.Net;
using System.Text.Json;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests;

/// <summary>Silos as separate processes meeting through the membership table on PostgreSQL.</summary>
public sealed class ClusterProcessTests
{
    private const string AdminKey = "cluster-process-admin-key-0123456789";
    private const string ClusterSecret = "test-cluster-secret-0123456789abcdef";

    /// <summary>Short, for the tests that watch silos die or leave.</summary>
    private static readonly TimeSpan FailureDetection = TimeSpan.FromSeconds(2);

    /// <summary>For tests that kill nothing: a loaded machine's late heartbeat must not drop a silo and move its grains.</summary>
    private static readonly TimeSpan NoFailures = TimeSpan.FromSeconds(10);

    private static Dictionary<string, string> ClusterSettings(PostgresTestDatabase database, string name, TimeSpan? suspectTimeout = null) =>
        ClusterViewApi.ClusterSettings(database, name, AdminKey, ClusterSecret, suspectTimeout ?? FailureDetection);

    [Fact]
    public async Task Silos_see_each_other_and_drop_one_that_leaves_or_is_killed()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        using var directory = new TemporaryDirectory();
        await using var a = SiloProcess.Start(directory.Path, ClusterSettings(database, "a"));
        await using var b = SiloProcess.Start(directory.Path, ClusterSettings(database, "b"));
        await using var c = SiloProcess.Start(directory.Path, ClusterSettings(database, "c"));
        await ReadyAndSettledAsync("a,b,c", a, b, c);
        using (var view = await GetClusterAsync(b))
        {
            Assert.True(view.RootElement.GetProperty("clustered").GetBoolean());
            var self = view.RootElement.GetProperty("silo");
            Assert.Equal("b", self.GetProperty("name").GetString());
            Assert.StartsWith("http://127.0.0.1:", self.GetProperty("endpoint").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(0, await b.TerminateAsync()); // graceful: it says it is gone
        Assert.Equal("dead", await StatusAsync(database, "b"));
        await Eventually.TrueAsync(async () => await NamesAsync(a) == "a,c", "a sees b leave", within: TimeSpan.FromSeconds(5));

        await c.KillAsync(); // no word: its heartbeat goes stale
        await Eventually.TrueAsync(async () => await NamesAsync(a) == "a", "a drops c after the suspect timeout", within: TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Every_account_has_one_activation_at_its_owner_whichever_silo_is_called()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        using var directory = new TemporaryDirectory();
        await using var a = SiloProcess.Start(directory.Path, ClusterSettings(database, "a", NoFailures));
        await using var b = SiloProcess.Start(directory.Path, ClusterSettings(database, "b", NoFailures));
        await using var c = SiloProcess.Start(directory.Path, ClusterSettings(database, "c", NoFailures));
        SiloProcess[] silos = [a, b, c];
        await ReadyAndSettledAsync("a,b,c", silos);

        const int Accounts = 30;
        var apis = silos.Select(s => new LedgerApi(s.Http, AdminKey)).ToArray();
        for (var i = 0; i < Accounts; i++)
        {
            var id = $"acc-{i}";
            await apis[i % 3].CreateAccountAsync(id);
            await apis[(i + 1) % 3].DepositAsync(id, "fund", 100);
            var debit = await apis[(i + 2) % 3].PostAsync($"/v1/accounts/{id}/debits", new { operationId = "spend", amount = 30 });
            Assert.True(debit.Status == HttpStatusCode.OK, debit.ToString());
            Assert.Equal(70, debit.Json.GetProperty("balance").GetProperty("available").GetInt64());

            // A refusal crosses silos with its code and figures intact.
            var refused = await apis[i % 3].PostAsync($"/v1/accounts/{id}/debits", new { operationId = "too-much", amount = 1_000 });
            Assert.Equal(HttpStatusCode.PaymentRequired, refused.Status);
            Assert.Equal("insufficient_funds", refused.Json.GetProperty("code").GetString());
            Assert.Equal(70, refused.Json.GetProperty("available").GetInt64());
        }

        var activations = await Task.WhenAll(silos.Select(AccountActivationsAsync));
        Assert.Equal(Accounts, activations.Sum()); // each account lives once, at its owner, however many silos called it
        Assert.All(activations, count => Assert.InRange(count, 1, Accounts - 2));
        foreach (var api in apis)
        {
            var journal = await api.JournalAsync("acc-7");
            Assert.Equal(["open", "deposit", "debit"], journal.Select(e => e.GetProperty("kind").GetString()));
        }
    }

    [Fact]
    public async Task A_silo_killed_under_load_loses_and_invents_nothing_and_rejoins_when_restarted()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        using var directory = new TemporaryDirectory();
        var settings = new[] { "a", "b", "c" }.Select(name => ClusterSettings(database, name)).ToArray();
        var silos = settings.Select(s => SiloProcess.Start(directory.Path, s)).ToArray();
        try
        {
            await ReadyAndSettledAsync("a,b,c", silos);
            const int Accounts = 12;
            for (var i = 0; i < Accounts; i++)
            {
                await new LedgerApi(silos[i % 3].Http, AdminKey).CreateAccountAsync($"load-{i}");
            }

            // Clients spread deposits over the silos; an operation that fails (503, a dead connection) is sent again
            // with the same operation id to another silo until it is acknowledged or the run ends.
            var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, (string Account, long Amount)>();
            var sent = new System.Collections.Concurrent.ConcurrentDictionary<string, byte>();
            using var stop = new CancellationTokenSource();
            var alive = new[] { true, true, true };
            var clients = Enumerable.Range(0, 6).Select(client => Task.Run(async () =>
            {
                var random = new Random(client);
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    var account = $"load-{random.Next(Accounts)}";
                    var operation = $"c{client}-{n}";
                    var amount = 1 + random.Next(9);
                    sent[operation] = 0;
                    for (var attempt = 0; attempt < 200 && !acknowledged.ContainsKey(operation); attempt++)
                    {
                        var target = random.Next(3);
                        if (!Volatile.Read(ref alive[target]))
                        {
                            continue;
                        }

                        try
                        {
                            var answer = await new LedgerApi(silos[target].Http, AdminKey).PostAsync($"/v1/accounts/{account}/deposits", new { operationId = operation, amount });
                            if (answer.Status == HttpStatusCode.OK)
                            {
                                acknowledged[operation] = (account, amount);
                            }
                            else
                            {
                                Assert.True(answer.Status == HttpStatusCode.ServiceUnavailable, answer.ToString());
                                await Task.Delay(50);
                            }
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(50); // the silo died under this request
                        }
                    }
                }
            })).ToArray();

            await Task.Delay(TimeSpan.FromSeconds(2));
            Volatile.Write(ref alive[2], false);
            await silos[2].KillAsync();
            await Task.Delay(TimeSpan.FromSeconds(5)); // past the 2 s suspect timeout: owners have moved
            await stop.CancelAsync();
            await Task.WhenAll(clients);

            var survivor = new LedgerApi(silos[0].Http, AdminKey);
            var journaled = new Dictionary<string, (string Account, long Amount)>();
            for (var i = 0; i < Accounts; i++)
            {
                var account = $"load-{i}";
                var entries = await survivor.JournalAsync(account);
                foreach (var deposit in entries.Where(e => e.GetProperty("kind").GetString() == "deposit"))
                {
                    var operation = deposit.GetProperty("operationId").GetString()!;
                    Assert.True(journaled.TryAdd(operation, (account, deposit.GetProperty("amount").GetInt64())), $"{operation} journaled twice");
                }

                var balance = entries[^1].GetProperty("available").GetInt64();
                Assert.Equal(entries.Where(e => e.GetProperty("kind").GetString() == "deposit").Sum(e => e.GetProperty("amount").GetInt64()), balance);
            }

            Assert.True(acknowledged.Count > 50, $"only {acknowledged.Count} operations were acknowledged");
            Assert.All(acknowledged, ack => Assert.Equal(ack.Value, journaled[ack.Key])); // nothing acknowledged was lost
            Assert.All(journaled.Keys, operation => Assert.True(sent.ContainsKey(operation), $"{operation} was invented"));

            silos[2] = SiloProcess.Start(directory.Path, settings[2]);
            await silos[2].WaitReadyAsync();
            await Eventually.TrueAsync(async () => await NamesAsync(silos[0]) == "a,b,c", "the restarted silo rejoins");
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_hold_expiry_reminder_whose_silo_died_fires_on_a_survivor()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        using var directory = new TemporaryDirectory();
        var settings = new[] { "a", "b" }.Select(name => ClusterSettings(database, name)).ToArray();
        foreach (var setting in settings)
        {
            setting["Grid__Runtime__ReminderRefreshPeriod"] = "00:00:01";
            setting["Grid__Ledger__ExpiryRetryPeriod"] = "00:00:01";
        }

        await using var a = SiloProcess.Start(directory.Path, settings[0]);
        await using var b = SiloProcess.Start(directory.Path, settings[1]);
        await ReadyAndSettledAsync("a,b", a, b);

        // An account b owns, its hold placed through a: the expiry reminder is registered by b.
        var account = await AccountOwnedByAsync(a, "b");
        var api = new LedgerApi(a.Http, AdminKey);
        await api.CreateAccountAsync(account);
        await api.DepositAsync(account, "fund", 100);
        var hold = await api.PostAsync($"/v1/accounts/{account}/holds", new { operationId = "h-1", amount = 40, expiresInSeconds = 4 });
        Assert.True(hold.Status == HttpStatusCode.Created, hold.ToString());
        Assert.Equal(1, await ReminderRowsAsync(database, account));

        await b.KillAsync(); // before the hold expires: b never gets to release it
        await Eventually.TrueAsync(
            async () =>
            {
                // 503 until b is out of a's view; then a owns the account and its reminder.
                var page = await api.GetAsync($"/v1/accounts/{account}/journal?after=0&limit=100");
                return page.Status == HttpStatusCode.OK
                    && page.Json.GetProperty("entries").EnumerateArray().Any(e => e.GetProperty("kind").GetString() == "expire");
            },
            "a takes the reminder over and releases the hold",
            within: TimeSpan.FromSeconds(20));
        var last = (await api.JournalAsync(account))[^1];
        Assert.Equal(("expire", 100L, 0L), (last.GetProperty("kind").GetString(), last.GetProperty("available").GetInt64(), last.GetProperty("held").GetInt64()));
    }

    [Fact]
    public async Task A_stream_on_any_silo_follows_an_account_another_silo_owns()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        using var directory = new TemporaryDirectory();
        await using var a = SiloProcess.Start(directory.Path, ClusterSettings(database, "a", NoFailures));
        await using var b = SiloProcess.Start(directory.Path, ClusterSettings(database, "b", NoFailures));
        await ReadyAndSettledAsync("a,b", a, b);
        var account = await AccountOwnedByAsync(a, "b");
        await new LedgerApi(b.Http, AdminKey).CreateAccountAsync(account);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/accounts/{account}/stream?after=1");
        request.Headers.Authorization = new("Bearer", AdminKey);
        using var stream = await a.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(timeout.Token));
        await new LedgerApi(b.Http, AdminKey).DepositAsync(account, "seen-on-a", 42); // written at b, the owner

        string? data = null;
        while (data is null && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            data = line.StartsWith("data: ", StringComparison.Ordinal) ? line[6..] : null;
        }

        using var entry = JsonDocument.Parse(data!);
        Assert.Equal(("seen-on-a", 42L), (entry.RootElement.GetProperty("operationId").GetString(), entry.RootElement.GetProperty("amount").GetInt64()));
    }

    [Fact]
    public async Task Silo_routes_answer_on_the_cluster_port_only_whatever_the_host_header_says()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        using var directory = new TemporaryDirectory();
        await using var a = SiloProcess.Start(directory.Path, ClusterSettings(database, "a"));
        await ReadyAndSettledAsync("a", a);
        Uri clusterEndpoint;
        using (var view = await GetClusterAsync(a))
        {
            clusterEndpoint = new Uri(view.RootElement.GetProperty("silo").GetProperty("endpoint").GetString()!);
        }

        // On the cluster port with the secret: the silo's manifest.
        using var cluster = new HttpClient { BaseAddress = clusterEndpoint };
        using (var manifest = new HttpRequestMessage(HttpMethod.Get, "/grid/v1/cluster") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact })
        {
            manifest.Headers.Authorization = new("Bearer", ClusterSecret);
            Assert.Equal(HttpStatusCode.OK, (await cluster.SendAsync(manifest)).StatusCode);
        }

        // On the public port, secret and all, with a Host header naming the cluster port: no such route.
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/grid/v1/cluster"), (HttpMethod.Post, "/grid/v1/calls") })
        {
            using var forged = new HttpRequestMessage(method, path);
            forged.Headers.Host = $"127.0.0.1:{clusterEndpoint.Port}";
            forged.Headers.Authorization = new("Bearer", ClusterSecret);
            using var refused = await a.Http.SendAsync(forged);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_cluster_on_sqlite_fails_start_up_with_one_line_naming_the_setting()
    {
        using var directory = new TemporaryDirectory();
        await using var silo = SiloProcess.Start(directory.Path, new Dictionary<string, string>
        {
            ["Grid__Cluster__Enabled"] = "true",
            ["Grid__Cluster__Endpoint"] = "http://127.0.0.1:11111",
        });

        Assert.Equal(1, await silo.WaitForExitAsync());
        var line = Assert.Single(silo.Output, l => l.Contains(" FTL] ", StringComparison.Ordinal));
        Assert.Contains("Grid:Cluster:Enabled", line);
    }

    [Fact]
    public async Task A_cluster_without_an_endpoint_fails_start_up_with_one_line_naming_it()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        using var directory = new TemporaryDirectory();
        var settings = ClusterSettings(database, "a");
        settings.Remove("Grid__Cluster__Endpoint");
        await using var silo = SiloProcess.Start(directory.Path, settings);

        Assert.Equal(1, await silo.WaitForExitAsync());
        var line = Assert.Single(silo.Output, l => l.Contains(" FTL] ", StringComparison.Ordinal));
        Assert.Contains("Grid:Cluster:Endpoint", line);
    }

    private static Task<string> AccountOwnedByAsync(SiloProcess asking, string owner) =>
        ClusterViewApi.AccountOwnedByAsync(asking, owner, AdminKey, "expiring-");

    private static async Task<long> ReminderRowsAsync(PostgresTestDatabase database, string account)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM reminders WHERE grain_type = 'account' AND grain_key = @key", connection);
        command.Parameters.AddWithValue("key", account);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> AccountActivationsAsync(SiloProcess silo)
    {
        using var view = await GetClusterAsync(silo);
        return view.RootElement.GetProperty("activationsByType").TryGetProperty("account", out var count) ? count.GetInt64() : 0;
    }

    private static async Task<string?> StatusAsync(PostgresTestDatabase database, string name)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT status FROM membership WHERE name = @name", connection);
        command.Parameters.AddWithValue("name", name);
        return (string?)await command.ExecuteScalarAsync();
    }

    private static Task ReadyAndSettledAsync(string names, params SiloProcess[] silos) => ClusterViewApi.ReadyAndSettledAsync(AdminKey, names, silos);

    private static Task<string> NamesAsync(SiloProcess silo) => ClusterViewApi.NamesAsync(silo, AdminKey);

    private static Task<JsonDocument> GetClusterAsync(SiloProcess silo) => ClusterViewApi.GetAsync(silo, AdminKey);
}
