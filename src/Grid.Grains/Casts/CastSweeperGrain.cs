using Grid.Contracts.Casts;
using Grid.Ledger.Persistence;
using Grid.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grid.Grains.Casts;

/// <summary>
/// Times casts out and finishes endings cut short, from the casts table's due times: one query a sweep however many
/// casts run, instead of a durable reminder written and deleted for each. Each due cast is asked in turn (a cast's
/// own grain decides); one that fails is logged and postponed by <see cref="CastOptions.SweepRetryDelay"/>, behind the others.
/// </summary>
public sealed class CastSweeperGrain(ICastStore casts, IOptions<CastOptions> options, ILogger<CastSweeperGrain> logger) : Grain, ICastSweeperGrain, IRemindable
{
    public const string KeepAliveReminder = "cast-sweeper-keep-alive";

    private IDisposable? _timer;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _timer = Context.RegisterTimer(SweepAsync, options.Value.SweepPeriod, options.Value.SweepPeriod);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public Task Start() => Context.RegisterOrUpdateReminderAsync(KeepAliveReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask; // being active is the point

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<CastRecord> due;
        try
        {
            due = await casts.FindDueAsync(Context.TimeProvider.GetUtcNow(), options.Value.SweepBatch, cancellationToken);
        }
        catch (Exception failed) when (failed is not OperationCanceledException)
        {
            logger.LogWarning("Cast sweep could not read due casts: {Reason}", failed.Message);
            return;
        }

        foreach (var record in due)
        {
            try
            {
                await GrainFactory.GetGrain<ICastGrain>(record.CastId).Sweep();
            }
            catch (Exception failed) when (failed is not OperationCanceledException)
            {
                await PostponeAsync(record, failed, cancellationToken);
            }
        }
    }

    /// <summary>Sends a cast that failed to the back of the queue, so the ones behind it are not starved.</summary>
    private async Task PostponeAsync(CastRecord record, Exception failed, CancellationToken cancellationToken)
    {
        var retryDelay = options.Value.SweepRetryDelay;
        logger.LogWarning("Cast {CastId} not swept, asked again in {RetryDelay}: {Reason}", record.CastId, retryDelay, failed.Message);
        try
        {
            await casts.PostponeAsync(record, Context.TimeProvider.GetUtcNow() + retryDelay, cancellationToken);
        }
        catch (Exception notMoved) when (notMoved is not OperationCanceledException)
        {
            logger.LogWarning("Cast {CastId} not postponed: {Reason}", record.CastId, notMoved.Message); // asked again next sweep
        }
    }
}
