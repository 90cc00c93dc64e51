using Grid.TestKit;

namespace Grid.Client.Tests;

/// <summary>Silo processes on one fresh PostgreSQL database, clustered with short heartbeats, for client tests.</summary>
internal sealed class TestCluster(PostgresTestDatabase database, TemporaryDirectory directory, List<(SiloProcess Process, Uri Endpoint)> silos, TimeSpan suspectTimeout) : IAsyncDisposable
{
    /// <summary>Short, for tests that watch silos die; those that do not pass a longer one, so a loaded machine's slow heartbeat moves nothing.</summary>
    public static readonly TimeSpan FailureDetection = TimeSpan.FromSeconds(2);

    public const string AdminKey = "client-test-admin-key-0123456789";
    public const string Secret = "client-test-cluster-secret-0123456789";

    public PostgresTestDatabase Database { get; } = database;

    public List<(SiloProcess Process, Uri Endpoint)> Silos { get; } = silos;

    public static async Task<TestCluster> StartAsync(int count, TimeSpan? suspectTimeout = null)
    {
        var suspect = suspectTimeout ?? FailureDetection;
        var database = await PostgresTestDatabase.CreateAsync();
        var directory = new TemporaryDirectory();
        var silos = new List<(SiloProcess, Uri)>();
        for (var i = 0; i < count; i++)
        {
            var endpoint = new Uri($"http://127.0.0.1:{SiloProcess.FreePort()}");
            silos.Add((SiloProcess.Start(directory.Path, Settings(database, i, endpoint, suspect)), endpoint));
        }

        var cluster = new TestCluster(database, directory, silos, suspect);
        await Task.WhenAll(silos.Select(s => s.Item1.WaitReadyAsync()));
        return cluster;
    }

    /// <summary>Starts silo <paramref name="index"/> again (a new process, same name and endpoint), after a kill.</summary>
    public async Task RestartAsync(int index)
    {
        var endpoint = Silos[index].Endpoint;
        await Silos[index].Process.DisposeAsync();
        Silos[index] = (SiloProcess.Start(directory.Path, Settings(Database, index, endpoint, suspectTimeout)), endpoint);
        await Silos[index].Process.WaitReadyAsync();
    }

    private static Dictionary<string, string> Settings(PostgresTestDatabase database, int index, Uri endpoint, TimeSpan suspect) => new()
    {
        ["Grid__Auth__AdminKey"] = AdminKey,
        ["Grid__Storage__Provider"] = "postgres",
        ["Grid__Storage__ConnectionString"] = database.ConnectionString,
        ["Grid__Cluster__Enabled"] = "true",
        ["Grid__Cluster__SiloName"] = $"s{index}",
        ["Grid__Cluster__Endpoint"] = endpoint.ToString(),
        ["Grid__Cluster__Secret"] = Secret,
        ["Grid__Cluster__HeartbeatPeriod"] = "00:00:00.250",
        ["Grid__Cluster__SuspectTimeout"] = suspect.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        ["Grid__Storage__AnnounceJournal"] = "true", // the clustered default, stated so the watch test shows it
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var (process, _) in Silos)
        {
            await process.DisposeAsync();
        }

        directory.Dispose();
        await Database.DisposeAsync();
    }
}
