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
        if (!activation.SubmitLocal(tick))
        {
            Dispose();
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

        lock (_lock)
        {
            if (!_disposed.IsCancellationRequested && period != Timeout.InfiniteTimeSpan)
            {
                _timer?.Change(period, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private sealed class TimerTickInvokable(string grainClass, Func<CancellationToken, Task> callback, CancellationToken token)
        : GrainInvokable<VoidResult>
    {
        public override string InterfaceName => grainClass;

        public override string MethodName => "[timer]";

        public override ValueTask<VoidResult> InvokeAsync(object grain) => ToResult(callback(token));
    }
}
