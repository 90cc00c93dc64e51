using Grid.Contracts.Accounts;
using Grid.Grains.Hosting;
using Grid.Grains.Ledger;
using Grid.Ledger.Persistence;
using Grid.Runtime;
using Grid.Runtime.Core;
using Grid.Runtime.Hosting;
using Grid.Storage;
using Grid.Storage.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Grid.Grains.Tests.Support;

/// <summary>A silo in the test process with the real ledger over a real store (SQLite file or PostgreSQL database); <c>services</c> adds more (casts, wallets).</summary>
public sealed class LedgerSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private LedgerSilo(IHost host)
    {
        _host = host;
        Runtime = host.Services.GetRequiredService<GrainRuntime>();
    }

    public GrainRuntime Runtime { get; }

    public IGrainFactory Grains => Runtime;

    public ILedgerStore Store => _host.Services.GetRequiredService<ILedgerStore>();

    public static async Task<LedgerSilo> StartAsync(
        StorageOptions storage,
        TimeProvider? time = null,
        Action<LedgerOptions>? ledger = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddGridStorage(storage);
        builder.Services.AddGrainRuntime();
        builder.Services.AddLedger(configure: ledger);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new LedgerSilo(host);
    }

    public IAccountGrain Account(string id) => Grains.GetGrain<IAccountGrain>(id);

    public T Service<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _host.StopAsync(bound.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
