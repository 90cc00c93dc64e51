using Grid.Contracts.Casts;
using Grid.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Grid.Grains.Casts;

/// <summary>
/// Wakes the casts' sweeper once the silo runs. Its reminder keeps it awake after that, wherever the cluster places
/// it; this only saves waiting for the first reminder tick.
/// </summary>
public sealed class CastSweeperStarter(IGrainFactory grains, TimeProvider time, ILogger<CastSweeperStarter> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Bounded by the silo's life: a runtime still joining its cluster is asked again shortly.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await grains.GetGrain<ICastSweeperGrain>(ICastSweeperGrain.Key).Start();
                return;
            }
            catch (Exception failed) when (failed is not OperationCanceledException)
            {
                logger.LogWarning("Cast sweeper not started yet: {Error}", failed.Message);
                await Task.Delay(RetryDelay, time, stoppingToken);
            }
        }
    }
}
