namespace Grid.Runtime.Core;

/// <summary>
/// A call with a typed result. The common case completes synchronously and hands its result straight
/// back; only a call that has to wait allocates a task completion source and, with a timeout, a timer.
/// </summary>
internal sealed class GrainRequest<TResult>(
    GrainId targetId,
    GrainInvokable<TResult> invokable,
    GrainRequest? caller,
    bool keepsAlive = true)
    : GrainRequest(targetId, caller, keepsAlive)
{
    private const int Running = 0;
    private const int CompletedBeforeAwait = 1;
    private const int Awaited = 2;

    private int _state;
    private TResult? _result;
    private Exception? _error;
    private TaskCompletionSource<TResult>? _completion;
    private ITimer? _timeoutTimer;
    private TimeSpan _timeout;
    private ValueTask<TResult> _pending;

    public override IGrainInvokable Invokable => invokable;

    public override bool Failed => _error is not null;

    public override bool Start(object grain)
    {
        ValueTask<TResult> task;
        try
        {
            task = invokable.InvokeAsync(grain);
        }
        catch (Exception error)
        {
            SetOutcome(default, error);
            return true;
        }

        if (task.IsCompleted)
        {
            CompleteFrom(task);
            return true;
        }


        _pending = task;
        return false;
    }

    // ConfigureAwait(false): completing the request is runtime work, not a turn of the grain.
    public override void ObserveCompletion() => _pending.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(OnPendingCompleted);

    public override void Fail(Exception error)
    {
        SetOutcome(default, error);
        Deliver();
    }

    /// <summary>The caller's view of the result; waits at most <paramref name="timeout"/> when the call is still running.</summary>
    public Task<TResult> GetResultAsync(TimeProvider time, TimeSpan timeout)
    {
        if (Volatile.Read(ref _state) == CompletedBeforeAwait)
        {
            return ResultTask();
        }

        var completion = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _completion = completion;
        _timeout = timeout;
        if (Interlocked.CompareExchange(ref _state, Awaited, Running) != Running)
        {
            return ResultTask();
        }

        if (timeout != Timeout.InfiniteTimeSpan)
        {
            var timer = time.CreateTimer(static s => ((GrainRequest<TResult>)s!).OnTimeout(), this, timeout, Timeout.InfiniteTimeSpan);
            Volatile.Write(ref _timeoutTimer, timer);
            if (completion.Task.IsCompleted)
            {
                timer.Dispose();
            }
        }

        return completion.Task;
    }

    private void OnPendingCompleted()
    {
        var task = _pending;
        _pending = default;
        CompleteFrom(task);
        Target!.OnRequestCompleted(this);
    }

    private void CompleteFrom(ValueTask<TResult> task)
    {
        try
        {
            SetOutcome(task.GetAwaiter().GetResult(), null);
        }
        catch (Exception error)
        {
            SetOutcome(default, error);
        }
    }

    private void SetOutcome(TResult? result, Exception? error)
    {
        _result = result;
        _error = error;
        MarkCompleted();
    }

    /// <summary>Hands the outcome to the caller. The activation calls it after booking the call as finished,
    /// so a caller that calls again at once finds the activation free.</summary>
    public override void Deliver()
    {
        var error = _error;
        var result = _result;
        if (Interlocked.CompareExchange(ref _state, CompletedBeforeAwait, Running) == Running)
        {
            return; // the caller has not looked yet and will take the result as it is
        }

        Volatile.Read(ref _timeoutTimer)?.Dispose();
        if (error is null)
        {
            _completion!.TrySetResult(result!);
        }
        else
        {
            _completion!.TrySetException(error);
        }
    }

    private void OnTimeout()
    {
        MarkAbandoned();
        _completion!.TrySetException(new GrainCallTimeoutException(TargetId, invokable.MethodName, _timeout));
    }

    private Task<TResult> ResultTask() => _error is null ? Task.FromResult(_result!) : Task.FromException<TResult>(_error);
}
