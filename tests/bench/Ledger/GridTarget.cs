using Grid.Grains.Hosting;
using Grid.Grains.Ledger;
using Grid.Runtime;
using Grid.Runtime.Core;
using Grid.Runtime.Hosting;
using Grid.Storage;
using Grid.Storage.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grid.Bench.Ledger;

/// <summary>
/// The grid: a silo in this process (storage, grain runtime, ledger, casts, as the silo host composes them)
/// whose account grains are called through their interface, as an embedded client would.
/// </summary>
public sealed class GridTarget(string name, IHost host, BenchStore store, string prefix) : AccountGrainTarget(name, store, prefix)
{
    protected override IGrainFactory Grains => host.Services.GetRequiredService<GrainRuntime>();

    /// <summary>The silo's grains, for callers of grains other than accounts (casts).</summary>
    public IGrainFactory GrainFactory => Grains;

    /// <param name="merge">The silo-wide writer's <c>MergeAppends</c>: off, each account's group commit is its own transaction.</param>
    /// <param name="writers">The silo-wide writer's concurrent transactions; null keeps the default.</param>
    /// <param name="announce">Journal appends notify listeners (<c>Grid:Storage:AnnounceJournal</c>).</param>
    public static async Task<GridTarget> StartAsync(BenchStore store, string prefix, bool merge, int? writers, bool announce)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        var storage = store.GridStorage;
        builder.Services.AddGridStorage(new StorageOptions
        {
            Provider = storage.Provider,
            ConnectionString = storage.ConnectionString,
            DataDirectory = storage.DataDirectory,
            AnnounceJournal = announce,
        });
        builder.Services.AddGrainRuntime();
        builder.Services.AddLedger(configure: options =>
        {
            options.MergeAppends = merge;
            options.Writers = writers ?? options.Writers;
        });
        builder.Services.AddCasts();
        var host = builder.Build();
        await host.StartAsync();
        var settings = host.Services.GetRequiredService<IOptions<LedgerOptions>>().Value;
        var name = (merge ? $"grid (Writers={settings.Writers?.ToString() ?? "store default"})" : "grid, MergeAppends=false") + (announce ? ", announcing" : string.Empty);
        return new GridTarget(name, host, store, prefix);
    }

    public override async ValueTask DisposeAsync()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StopAsync(bound.Token);
        host.Dispose();
    }
}
