using Grid.Runtime.Core;
using Microsoft.Extensions.Logging;

namespace Grid.Runtime.Timers;

/// <summary>
/// A per-activation timer. Each tick is a call on the activation's mailbox; the next tick is armed only
/// after the previous one completed, so ticks never overlap. Ticks do not count as use for idle collection.
/// </summary>
internal sealed class GrainTimer(
    ActivationData activation,
    Func<CancellationToken, Task> callback,
    TimeSpan dueTime,
    TimeSpan period,
    TimeProvider time,
    ILogger logger) : IDisposable
{
    /// <summary>When a one-shot tick found the mailbox full, how soon it is tried again.</summary>
    private static readonly TimeSpan OverloadRetry = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _lock = new();
    private ITimer? _timer;

    public void Start()
    {
        lock (_lock)
        {
            if (!_disposed.IsCancellationRequested)
            {
                _timer = time.CreateTimer(static s => ((GrainTimer)s!).Tick(), this, dueTime, Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _disposed.Cancel();
            _timer?.Dispose();
        }

        activation.RemoveTimer(this);
    }

    private void Tick()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        var tick = new TimerTickInvokable(activation.Type.GrainClass.FullName!, callback, _disposed.Token) { IsTimerTick = true };
        try
        {
            if (!activation.SubmitLocal(tick))
            {
                Dispose();
                return;
            }
        }
        catch (GrainOverloadedException overloaded)
        {
            // This runs on a timer thread: thrown on, it would end the process. The tick is skipped, the timer kept.
            logger.LogWarning("Timer tick of {GrainId} skipped: {Reason}", activation.GrainId, overloaded.Message);
            Rearm(period != Timeout.InfiniteTimeSpan ? period : OverloadRetry);
            return;
        }

        if (!tick.IsCompleted)
        {
            tick.PrepareWait(time, Timeout.InfiniteTimeSpan, activation.GrainId); // ticks may run long; no response timeout
        }

        tick.GetResultAsync().ContinueWith(
            static (t, s) => ((GrainTimer)s!).OnTickDone(t),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void OnTickDone(Task tick)
    {
        if (tick.Exception is { } error && !_disposed.IsCancellationRequested)
        {
            logger.LogWarning(error.InnerException, "Timer tick of {GrainId} failed", activation.GrainId);
        }

        if (period != Timeout.InfiniteTimeSpan)
        {
            Rearm(period);
        }
        else
        {
            Dispose(); // a one-shot timer that has fired: its activation need not keep it (and what it captures) any longer
        }
    }

    private void Rearm(TimeSpan due)
    {
        lock (_lock)
        {
            if (!_disposed.IsCancellationRequested)
            {
                _timer?.Change(due, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private sealed class TimerTickInvokable(string grainClass, Func<CancellationToken, Task> callback, CancellationToken token)
        : GrainInvokable<VoidResult>
    {
        public override string InterfaceName => grainClass;

        public override string MethodName => "[timer]";

        // Disposed while this tick waited in the mailbox (by the call before it, say): it no longer runs.
        public override ValueTask<VoidResult> InvokeAsync(object grain) =>
            token.IsCancellationRequested ? ValueTask.FromResult(default(VoidResult)) : ToResult(callback(token));
    }
}
