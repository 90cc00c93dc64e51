using Grid.Ledger.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Grid.Grains.Casts;

/// <summary>
/// Wakes the casts' sweeper once the silo runs, when some cast has not ended. Its reminder keeps it awake after that,
/// wherever the cluster places it; this only saves waiting for the first reminder tick. A grid with no casts
/// unfinished starts none (the first cast wakes it: <see cref="CastSweeperWaker"/>).
/// </summary>
public sealed class CastSweeperStarter(ICastStore casts, CastSweeperWaker sweeper, TimeProvider time, ILogger<CastSweeperStarter> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Bounded by the silo's life: a runtime still joining its cluster is asked again shortly.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if ((await casts.FindDueAsync(DateTimeOffset.MaxValue, 1, stoppingToken)).Count > 0)
                {
                    await sweeper.EnsureStartedAsync();
                }

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
