using System.Net;
using System.Text.Json;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests;

/// <summary>Silos as separate processes meeting through the membership table on PostgreSQL.</summary>
public sealed class ClusterProcessTests
{
    private const string AdminKey = "test-admin-key-0123456789";
    private const string ClusterSecret = "test-cluster-secret-0123456789abcdef";

    private static Dictionary<string, string> ClusterSettings(PostgresTestDatabase database, string name) => new()
    {
        ["Grid__Auth__AdminKey"] = AdminKey,
        ["Grid__Storage__Provider"] = "postgres",
        ["Grid__Storage__ConnectionString"] = database.ConnectionString,
        ["Grid__Cluster__Enabled"] = "true",
        ["Grid__Cluster__SiloName"] = name,
        ["Grid__Cluster__Endpoint"] = $"http://127.0.0.1:{SiloProcess.FreePort()}",
        ["Grid__Cluster__Secret"] = ClusterSecret,
        ["Grid__Cluster__HeartbeatPeriod"] = "00:00:00.250",
        ["Grid__Cluster__SuspectTimeout"] = "00:00:02",
    };

    [Fact]
    public async Task Silos_see_each_other_and_drop_one_that_leaves_or_is_killed()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        using var directory = new TemporaryDirectory();
        await using var a = SiloProcess.Start(directory.Path, ClusterSettings(database, "a"));
        await using var b = SiloProcess.Start(directory.Path, ClusterSettings(database, "b"));
        await using var c = SiloProcess.Start(directory.Path, ClusterSettings(database, "c"));
        await Task.WhenAll(a.WaitReadyAsync(), b.WaitReadyAsync(), c.WaitReadyAsync());

        await Eventually.TrueAsync(async () => await NamesAsync(a) == "a,b,c" && await NamesAsync(c) == "a,b,c", "every silo sees all three");
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
        await Eventually.TrueAsync(async () => await NamesAsync(a) == "a", "a drops c after the suspect timeout", within: TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Every_account_has_one_activation_at_its_owner_whichever_silo_is_called()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        using var directory = new TemporaryDirectory();
        await using var a = SiloProcess.Start(directory.Path, ClusterSettings(database, "a"));
        await using var b = SiloProcess.Start(directory.Path, ClusterSettings(database, "b"));
        await using var c = SiloProcess.Start(directory.Path, ClusterSettings(database, "c"));
        SiloProcess[] silos = [a, b, c];
        await Task.WhenAll(silos.Select(s => s.WaitReadyAsync()));
        await Eventually.TrueAsync(async () => (await Task.WhenAll(silos.Select(NamesAsync))).All(n => n == "a,b,c"), "the views settle");

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

    private static async Task<string> NamesAsync(SiloProcess silo)
    {
        using var view = await GetClusterAsync(silo);
        return string.Join(",", view.RootElement.GetProperty("silos").EnumerateArray().Select(s => s.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
    }

    private static async Task<JsonDocument> GetClusterAsync(SiloProcess silo)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/cluster");
        request.Headers.Authorization = new("Bearer", AdminKey);
        using var response = await silo.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
