using System.Globalization;
using Grid.Runtime.Core;
using Grid.Runtime.Membership;
using Grid.Silo;
using Grid.TestKit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grid.Client.Tests;

/// <summary>
/// Silos inside the test process, composed as the silo executable composes them (like Orleans' TestCluster):
/// start N, stop one gracefully, kill one (its web server and heartbeats stop at once, nothing is handed over
/// and its row is left to go stale), restart it, and wait for every running silo's view to settle.
/// </summary>
internal sealed class InProcessCluster : IAsyncDisposable
{
    private readonly PostgresTestDatabase _database;
    private readonly TemporaryDirectory _directory = new();
    private readonly WebApplication?[] _silos;
    private readonly (int Gateway, int Cluster)[] _ports;

    private readonly Action<IServiceCollection>? _configure;
    private readonly TimeSpan _suspectTimeout;

    private InProcessCluster(PostgresTestDatabase database, int size, Action<IServiceCollection>? configure, TimeSpan suspectTimeout)
    {
        _database = database;
        _configure = configure;
        _suspectTimeout = suspectTimeout;
        _silos = new WebApplication?[size];
        _ports = Enumerable.Range(0, size).Select(_ => (SiloProcess.FreePort(), SiloProcess.FreePort())).ToArray();
    }

    public int Size => _silos.Length;

    /// <param name="clocks">Clocks for some silos by index (see <see cref="StartSiloAsync"/>); the views then do not settle, so the caller waits for what it needs.</param>
    /// <param name="configure">More services for every silo (test grains).</param>
    /// <param name="suspectTimeout">
    /// How long a silent silo stays in the views: 10 s unless given, so a loaded machine's late heartbeat moves no grain
    /// in a test that kills nothing; <see cref="TestCluster.FailureDetection"/> for tests that wait for a silo to be dropped.
    /// </param>
    public static async Task<InProcessCluster> StartAsync(
        int size, IReadOnlyDictionary<int, TimeProvider>? clocks = null, Action<IServiceCollection>? configure = null, TimeSpan? suspectTimeout = null)
    {
        var cluster = new InProcessCluster(await PostgresTestDatabase.CreateAsync(), size, configure, suspectTimeout ?? TimeSpan.FromSeconds(10));
        for (var i = 0; i < size; i++)
        {
            await cluster.StartSiloAsync(i, clocks?.GetValueOrDefault(i));
        }

        if (clocks is null)
        {
            await cluster.SettleAsync();
        }

        return cluster;
    }

    public string ConnectionString => _database.ConnectionString;

    public bool IsRunning(int index) => _silos[index] is not null;

    /// <summary>The grain factory of silo <paramref name="index"/>, as its gateway uses it.</summary>
    public GrainRuntime Grains(int index) => Services(index).GetRequiredService<GrainRuntime>();

    /// <summary>A service of silo <paramref name="index"/>.</summary>
    public T Service<T>(int index) where T : notnull => Services(index).GetRequiredService<T>();

    public MembershipView View(int index) => Services(index).GetRequiredService<MembershipService>().View;

    /// <param name="time">The silo's clock; a clock that never moves stops its heartbeats and view refreshes (a stale silo).</param>
    public async Task StartSiloAsync(int index, TimeProvider? time = null)
    {
        if (_silos[index] is not null)
        {
            throw new InvalidOperationException($"Silo {index} is running.");
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = _directory.Path });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [WebHostDefaults.ServerUrlsKey] = $"http://127.0.0.1:{_ports[index].Gateway}",
            ["Grid:Storage:Provider"] = "postgres",
            ["Grid:Storage:ConnectionString"] = _database.ConnectionString,
            ["Grid:Cluster:Enabled"] = "true",
            ["Grid:Cluster:SiloName"] = "silo-" + index.ToString(CultureInfo.InvariantCulture),
            ["Grid:Cluster:Endpoint"] = $"http://127.0.0.1:{_ports[index].Cluster}",
            ["Grid:Cluster:Secret"] = TestCluster.Secret,
            ["Grid:Cluster:HeartbeatPeriod"] = "00:00:00.250",
            ["Grid:Cluster:SuspectTimeout"] = _suspectTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["Grid:Auth:AdminKey"] = TestCluster.AdminKey,
        });
        builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.AddGridSilo();
        _configure?.Invoke(builder.Services);
        var app = builder.Build();
        await app.PrepareGridSiloAsync(CancellationToken.None);
        await app.StartAsync();
        _silos[index] = app;
    }

    /// <summary>A graceful stop: the silo announces it is leaving, hands its grains over, then stops.</summary>
    public async Task StopSiloAsync(int index)
    {
        var app = _silos[index] ?? throw new InvalidOperationException($"Silo {index} is not running.");
        _silos[index] = null;
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>
    /// A crash, as near as one process allows: the host is stopped with a token that is already cancelled, so
    /// the web server drops its connections, heartbeats stop, and no step of the graceful leave runs.
    /// </summary>
    public async Task KillSiloAsync(int index)
    {
        var app = _silos[index] ?? throw new InvalidOperationException($"Silo {index} is not running.");
        _silos[index] = null;
        try
        {
            await app.StopAsync(new CancellationToken(canceled: true));
        }
        catch (OperationCanceledException)
        {
            // Expected: every stopping step was cut short.
        }
        catch (AggregateException cut) when (cut.InnerExceptions.All(e => e is OperationCanceledException))
        {
            // Likewise, reported by several hosted services at once.
        }

        await app.DisposeAsync();
    }

    /// <summary>Waits until every running silo's view holds exactly the running silos.</summary>
    public Task SettleAsync() => Eventually.TrueAsync(
        () =>
        {
            var running = Enumerable.Range(0, Size).Where(IsRunning).Select(i => "silo-" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
            return Enumerable.Range(0, Size).Where(IsRunning).All(i => View(i).Silos.Select(s => s.Name).Order(StringComparer.Ordinal).SequenceEqual(running));
        },
        "every running silo's view holds exactly the running silos",
        within: TimeSpan.FromSeconds(20));

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < Size; i++)
        {
            if (_silos[i] is not null)
            {
                await StopSiloAsync(i);
            }
        }

        _directory.Dispose();
        await _database.DisposeAsync();
    }

    private IServiceProvider Services(int index) =>
        (_silos[index] ?? throw new InvalidOperationException($"Silo {index} is not running.")).Services;
}
