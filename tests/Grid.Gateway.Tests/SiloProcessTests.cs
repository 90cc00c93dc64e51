using System.Net;
using System.Text.Json;
using Grid.Gateway.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Grid.Gateway.Tests;

/// <summary>The silo as users start it: a separate process, a fresh data directory, real storage.</summary>
public sealed class SiloProcessTests
{
    private const string AdminKey = "silo-process-test-admin-key-0123456789";

    [Fact]
    public async Task Fresh_data_directory_silo_on_sqlite_is_ready_serves_cluster_view_and_stops_gracefully()
    {
        using var directory = new TemporaryDirectory();
        await using var silo = SiloProcess.Start(directory.Path, new Dictionary<string, string> { ["Grid__Auth__AdminKey"] = AdminKey });
        await silo.WaitReadyAsync();

        Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync("/health/live")).StatusCode);
        var database = Path.Combine(directory.Path, "data", "grid.db");
        Assert.True(File.Exists(database), "./data/grid.db is created in the working directory");
        Assert.Equal("wal", ReadPragma(database, "journal_mode"));

        using var cluster = await GetClusterAsync(silo);
        var self = cluster.RootElement.GetProperty("silo");
        Assert.Equal("sqlite", self.GetProperty("storageProvider").GetString());
        Assert.False(string.IsNullOrEmpty(self.GetProperty("id").GetString()));
        Assert.True(self.GetProperty("startedAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
        Assert.Equal(1, cluster.RootElement.GetProperty("silos").GetArrayLength());
        Assert.Equal(0, cluster.RootElement.GetProperty("activations").GetInt64());
        Assert.Equal(JsonValueKind.Object, cluster.RootElement.GetProperty("activationsByType").ValueKind);

        Assert.Equal(0, await silo.InterruptAsync());
        Assert.Contains(silo.Output, line => line.Contains("stopped; all activations deactivated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_connection_cap_in_the_settings_holds()
    {
        // The shipped appsettings cap connections; Kestrel's own section binding leaves its limits out, so the silo binds them.
        using var directory = new TemporaryDirectory();
        await using var silo = SiloProcess.Start(directory.Path, new Dictionary<string, string> { ["Kestrel__Limits__MaxConcurrentConnections"] = "3" });
        await silo.WaitReadyAsync();

        var connections = new List<System.Net.Sockets.TcpClient>();
        var served = 0;
        try
        {
            for (var i = 0; i < 6; i++)
            {
                var client = new System.Net.Sockets.TcpClient();
                connections.Add(client);
                await client.ConnectAsync(silo.BaseAddress.Host, silo.BaseAddress.Port);
                var stream = client.GetStream();
                try
                {
                    await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n"));
                    var buffer = new byte[64];
                    using var answer = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    var read = await stream.ReadAsync(buffer, answer.Token);
                    served += read > 0 && System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("HTTP/1.1 200", StringComparison.Ordinal) ? 1 : 0;
                }
                catch (IOException)
                {
                    // closed by the server: past the cap
                }
            }
        }
        finally
        {
            connections.ForEach(c => c.Dispose());
        }

        // Each connection is kept open; the readiness probe's pooled one may hold a slot too.
        Assert.InRange(served, 1, 3);
    }

    [Fact]
    public async Task An_open_balance_stream_ends_when_the_silo_stops_and_holds_up_no_graceful_stop()
    {
        using var directory = new TemporaryDirectory();
        await using var silo = SiloProcess.Start(directory.Path, new Dictionary<string, string> { ["Grid__Auth__AdminKey"] = AdminKey });
        await silo.WaitReadyAsync();
        var api = new LedgerApi(silo.Http, AdminKey);
        var account = await api.CreateAccountAsync();
        using var stream = await StreamRequests.OpenAsync(silo.Http, account, AdminKey);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        var body = stream.Content.ReadAsStringAsync();

        // A stream that lived on would hold the stop for the host's whole shutdown timeout, then leave the grains no time
        // to deactivate.
        Assert.Equal(0, await silo.TerminateAsync(within: TimeSpan.FromSeconds(20)));
        Assert.Contains(silo.Output, line => line.Contains("stopped; all activations deactivated", StringComparison.Ordinal));
        await body.WaitAsync(TimeSpan.FromSeconds(5)); // the subscriber saw its stream end
    }

    [Fact]
    public async Task Silo_runs_the_same_on_postgres()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        using var directory = new TemporaryDirectory();
        await using var silo = SiloProcess.Start(directory.Path, new Dictionary<string, string>
        {
            ["Grid__Auth__AdminKey"] = AdminKey,
            ["Grid__Storage__Provider"] = "postgres",
            ["Grid__Storage__ConnectionString"] = database.ConnectionString,
        });
        await silo.WaitReadyAsync();

        using var cluster = await GetClusterAsync(silo);
        Assert.Equal("postgres", cluster.RootElement.GetProperty("silo").GetProperty("storageProvider").GetString());
        Assert.False(Directory.Exists(Path.Combine(directory.Path, "data")), "no SQLite file when running on PostgreSQL");
        Assert.Equal(0, await silo.InterruptAsync());
    }

    [Fact]
    public async Task A_free_port_is_claimed_for_this_test_process_so_no_other_test_process_picks_it()
    {
        var port = SiloProcess.FreePort();
        Assert.False(PortReservation.TryClaim(port), "this process cannot claim it twice");

        // flock(1) is another process asking for the same lock, as a second test assembly's FreePort would.
        using var other = System.Diagnostics.Process.Start("flock", ["--nonblock", "--conflict-exit-code", "7", PortReservation.LockPath(port), "true"]);
        await other.WaitForExitAsync();
        Assert.Equal(7, other.ExitCode);
    }

    [Fact]
    public async Task Silo_restarted_on_the_same_data_directory_is_ready_again()
    {
        using var directory = new TemporaryDirectory();
        await using (var first = SiloProcess.Start(directory.Path, new Dictionary<string, string>()))
        {
            await first.WaitReadyAsync();
            Assert.Equal(0, await first.TerminateAsync()); // SIGTERM stops gracefully too
        }

        await using var second = SiloProcess.Start(directory.Path, new Dictionary<string, string>());
        await second.WaitReadyAsync();
        Assert.Contains(second.Output, line => line.Contains("migrations applied now: 0", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Grid__Storage__DataDirectory", "<file>", "Grid:Storage:DataDirectory")]
    [InlineData("Grid__Storage__Provider", "oracle", "Grid:Storage:Provider")]
    [InlineData("Grid__Runtime__ResponseTimeout", "soon", "Grid:Runtime:ResponseTimeout")]
    [InlineData("Grid__Runtime__CollectionAge", "-00:01:00", "Grid:Runtime:CollectionAge")]
    [InlineData("Grid__Runtime__ResponseTimeout", "99999999.00:00:00", "Grid:Runtime:ResponseTimeout")] // past a TimeSpan: an overflow inside
    [InlineData("Grid__Runtime__ResponseTimeout", "2.00:00:00", "Grid:Runtime:ResponseTimeout")] // grains derive references' timeouts from it
    [InlineData("Grid__Runtime__ResponseTimeout", "00:00:00.001", "Grid:Runtime:ResponseTimeout")]
    [InlineData("Grid__Stripe__Tolerance", "00:00:00", "Grid:Stripe:Tolerance")] // every delivery was a 500
    [InlineData("Grid__TopUps__Currency", "USD", "Grid:TopUps")]
    [InlineData("Grid__Stripe__SecretKey", "pk_live_not_a_secret_key", "Grid:Stripe")]
    [InlineData("Grid__AutoReload__CheckPeriod", "00:00:00", "Grid:AutoReload:CheckPeriod")]
    public async Task Bad_setting_fails_start_up_with_one_line_naming_it(string variable, string value, string setting)
    {
        using var directory = new TemporaryDirectory();
        var file = directory.Combine("not-a-directory");
        await File.WriteAllTextAsync(file, "x");
        await using var silo = SiloProcess.Start(directory.Path, new Dictionary<string, string> { [variable] = value.Replace("<file>", file) });

        Assert.Equal(1, await silo.WaitForExitAsync());
        AssertOneLineNaming(silo, setting);
    }

    [Fact]
    public async Task A_port_in_use_fails_start_up_with_one_line_naming_the_address()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        using var directory = new TemporaryDirectory();
        await using var silo = SiloProcess.Start(directory.Path, new Dictionary<string, string>(), port);

        Assert.Equal(1, await silo.WaitForExitAsync());
        AssertOneLineNaming(silo, $"127.0.0.1:{port}");
    }

    [Fact]
    public async Task Unreachable_postgres_fails_start_up_with_one_line_naming_the_connection_string()
    {
        using var directory = new TemporaryDirectory();
        await using var silo = SiloProcess.Start(directory.Path, new Dictionary<string, string>
        {
            ["Grid__Storage__Provider"] = "postgres",
            ["Grid__Storage__ConnectionString"] = $"Host=127.0.0.1;Port={SiloProcess.FreePort()};Username=grid;Password=hunter2;Timeout=3",
        });

        Assert.Equal(1, await silo.WaitForExitAsync());
        AssertOneLineNaming(silo, "Grid:Storage:ConnectionString");
        Assert.DoesNotContain(silo.Output, line => line.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Postgres_that_acknowledges_commits_before_they_are_durable_fails_start_up_naming_the_setting()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using (var admin = new Npgsql.NpgsqlConnection(PostgresTestDatabase.ServerConnectionString))
        {
            await admin.OpenAsync();
            var name = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString).Database;
            await using var off = new Npgsql.NpgsqlCommand($"ALTER DATABASE \"{name}\" SET synchronous_commit = off", admin);
            await off.ExecuteNonQueryAsync();
        }

        using var directory = new TemporaryDirectory();
        await using var silo = SiloProcess.Start(directory.Path, new Dictionary<string, string>
        {
            ["Grid__Storage__Provider"] = "postgres",
            ["Grid__Storage__ConnectionString"] = database.ConnectionString,
        });

        Assert.Equal(1, await silo.WaitForExitAsync());
        AssertOneLineNaming(silo, "synchronous_commit");
    }

    [Fact]
    public async Task A_postgres_role_that_may_not_create_tables_fails_start_up_with_one_line_naming_the_connection_string()
    {
        // PostgreSQL 15 gives a role that does not own the database no CREATE on schema public.
        await using var database = await PostgresTestDatabase.CreateAsync();
        var role = $"grid_no_create_{Guid.NewGuid():N}"[..30];
        await using (var admin = new Npgsql.NpgsqlConnection(PostgresTestDatabase.ServerConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE ROLE {role} LOGIN", admin);
            await create.ExecuteNonQueryAsync();
        }

        try
        {
            var connection = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = null }.ConnectionString;
            using var directory = new TemporaryDirectory();
            await using var silo = SiloProcess.Start(directory.Path, new Dictionary<string, string>
            {
                ["Grid__Storage__Provider"] = "postgres",
                ["Grid__Storage__ConnectionString"] = connection,
            });

            Assert.Equal(1, await silo.WaitForExitAsync());
            AssertOneLineNaming(silo, "must be allowed to create tables"); // reached the migrations, not refused at connect
            AssertOneLineNaming(silo, "Grid:Storage:ConnectionString");
        }
        finally
        {
            await using var admin = new Npgsql.NpgsqlConnection(PostgresTestDatabase.ServerConnectionString);
            await admin.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand($"DROP ROLE IF EXISTS {role}", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task Cluster_view_is_refused_without_the_admin_key_and_when_none_is_configured()
    {
        using var directory = new TemporaryDirectory();
        await using var silo = SiloProcess.Start(directory.Path, new Dictionary<string, string>());
        await silo.WaitReadyAsync();

        using var response = await silo.Http.GetAsync("/v1/cluster");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("unauthorized", problem.RootElement.GetProperty("code").GetString());
        Assert.Contains("Grid:Auth:AdminKey", problem.RootElement.GetProperty("detail").GetString());
    }

    private static void AssertOneLineNaming(SiloProcess silo, string setting)
    {
        var errors = silo.Output.Where(line => line.Contains(" FTL] ", StringComparison.Ordinal) || line.Contains(" ERR] ", StringComparison.Ordinal)).ToArray();
        var line = Assert.Single(errors);
        Assert.Contains(setting, line);
        Assert.DoesNotContain(silo.Output, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal)); // no stack trace
    }

    private static Task<JsonDocument> GetClusterAsync(SiloProcess silo) => ClusterViewApi.GetAsync(silo, AdminKey);

    private static string? ReadPragma(string database, string pragma)
    {
        SQLitePCL.Batteries_V2.Init();
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {pragma}";
        return command.ExecuteScalar()?.ToString();
    }
}
