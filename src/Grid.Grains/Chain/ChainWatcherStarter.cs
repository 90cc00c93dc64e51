using System.Globalization;
using Grid.Contracts.Chain;
using Grid.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Grid.Grains.Chain;

/// <summary>
/// Wakes each configured chain's watcher once the silo runs. The watcher's reminder keeps it awake after that,
/// wherever the cluster places it; this only saves waiting for the first reminder tick.
/// </summary>
public sealed class ChainWatcherStarter(ChainCatalog catalog, IGrainFactory grains, TimeProvider time, ILogger<ChainWatcherStarter> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var chain in catalog.All)
        {
            // Bounded by the silo's life: a runtime still joining its cluster is asked again shortly.
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await grains.GetGrain<IChainWatcherGrain>(chain.ChainId.ToString(CultureInfo.InvariantCulture)).Start();
                    logger.LogInformation("Chain {ChainId}: watcher started", chain.ChainId);
                    break;
                }
                catch (Exception failed) when (failed is not OperationCanceledException)
                {
                    logger.LogWarning("Chain {ChainId}: watcher not started yet: {Error}", chain.ChainId, failed.Message);
                    await Task.Delay(RetryDelay, time, stoppingToken);
                }
            }
        }
    }
}
