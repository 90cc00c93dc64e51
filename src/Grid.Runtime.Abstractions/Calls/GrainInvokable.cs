using System.Text.Json;

namespace Grid.Runtime;

/// <summary>
/// Base of generated invokables: runs the call against the grain instance and carries its typed outcome.
/// The outcome is the grain's own task, so a call that completes synchronously hands that very task back.
/// Only a caller that has to wait allocates a <see cref="Waiter"/> (completion source, timeout timer).
/// </summary>
public abstract class GrainInvokable<TResult> : GrainCall
{
    private const int Running = 0;
    private const int CompletedBeforeAwait = 1;
    private const int Awaited = 2;

    private int _state;
    private Task<TResult>? _outcome;
    private Waiter? _waiter;

    public abstract ValueTask<TResult> InvokeAsync(object grain);

    /// <summary>The caller's view of the result; waits at most the prepared timeout when the call is still running.</summary>
    internal Task<TResult> GetResultAsync()
    {
        if (Volatile.Read(ref _state) == CompletedBeforeAwait)
        {
            return _outcome!;
        }

        // No prepared waiter: the call had already finished inside Send and only its delivery is on the way.
        var waiter = _waiter ??= new Waiter(TimeProvider.System, System.Threading.Timeout.InfiniteTimeSpan, default);
        if (Interlocked.CompareExchange(ref _state, Awaited, Running) != Running)
        {
            return _outcome!;
        }

        if (waiter.Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            var timer = waiter.Time.CreateTimer(static s => ((GrainInvokable<TResult>)s!).OnTimeout(), this, waiter.Timeout, System.Threading.Timeout.InfiniteTimeSpan);
            Volatile.Write(ref waiter.Timer, timer);
            if (waiter.Completion.Task.IsCompleted)
            {
                timer.Dispose();
            }
        }

        return waiter.Completion.Task;
    }

    internal override void PrepareWait(TimeProvider time, TimeSpan timeout, GrainId grainId) =>
        _waiter = new Waiter(time, timeout, grainId);

    internal override TimeSpan? WaitTimeout => _waiter?.Timeout;

    internal override bool Start(object grain)
    {
        try
        {
            // AsTask hands back the grain's Task<T> itself (no allocation) for task-returning methods.
            _outcome = InvokeAsync(grain).AsTask();
        }
        catch (Exception error)
        {
            _outcome = Task.FromException<TResult>(error);
        }

        if (!_outcome.IsCompleted)
        {
            return false;
        }

        Failed = !_outcome.IsCompletedSuccessfully;
        MarkCompleted();
        return true;
    }

    // ConfigureAwait(false): completing the call is runtime work, not a turn of the grain.
    internal override void ObserveCompletion() =>
        _outcome!.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(OnOutcomeCompleted);

    internal override void Fail(Exception error)
    {
        _outcome = Task.FromException<TResult>(error);
        Failed = true;
        MarkCompleted();
        Deliver();
    }

    internal override void CompleteRemote(ReadOnlySpan<byte> resultJson, JsonSerializerOptions options)
    {
        TResult result;
        try
        {
            result = JsonSerializer.Deserialize<TResult>(resultJson, options)!;
        }
        catch (JsonException malformed)
        {
            Fail(new InvalidOperationException($"The result of {InterfaceName}.{MethodName} from another silo cannot be read: {malformed.Message}", malformed));
            return;
        }

        _outcome = Task.FromResult(result);
        Failed = false;
        MarkCompleted();
        Deliver();
    }

    internal override async Task<byte[]> SerializeResultAsync(JsonSerializerOptions options)
    {
        var result = await GetResultAsync().ConfigureAwait(false);
        return JsonSerializer.SerializeToUtf8Bytes(result, options);
    }

    internal override void DeliverBeforeAwait()
    {
        System.Diagnostics.Debug.Assert(_state == Running, "the caller cannot be waiting yet");
        Volatile.Write(ref _state, CompletedBeforeAwait);
    }

    /// <summary>Hands the outcome to the caller. The activation calls it after booking the call as finished,
    /// so a caller that calls again at once finds the activation free.</summary>
    internal override void Deliver()
    {
        if (Interlocked.CompareExchange(ref _state, CompletedBeforeAwait, Running) == Running)
        {
            return; // the caller has not looked yet and will take the outcome as it is
        }

        var waiter = _waiter!;
        Volatile.Read(ref waiter.Timer)?.Dispose();
        var outcome = _outcome!;
        if (outcome.IsCompletedSuccessfully)
        {
            waiter.Completion.TrySetResult(outcome.Result);
        }
        else if (outcome.IsCanceled)
        {
            waiter.Completion.TrySetCanceled();
        }
        else
        {
            waiter.Completion.TrySetException(outcome.Exception!.InnerExceptions);
        }
    }

    protected static ValueTask<VoidResult> ToResult(Task task) =>
        task.IsCompletedSuccessfully ? default : new ValueTask<VoidResult>(AwaitAsync(task));

    protected static ValueTask<VoidResult> ToResult(ValueTask task) =>
        task.IsCompletedSuccessfully ? default : new ValueTask<VoidResult>(AwaitAsync(task.AsTask()));

    private static async Task<VoidResult> AwaitAsync(Task task)
    {
        await task.ConfigureAwait(false);
        return default;
    }

    private void OnOutcomeCompleted()
    {
        Failed = !_outcome!.IsCompletedSuccessfully;
        MarkCompleted();
        Target!.OnCallCompleted(this);
    }

    private void OnTimeout()
    {
        MarkAbandoned();
        var waiter = _waiter!;
        waiter.Completion.TrySetException(new GrainCallTimeoutException(waiter.GrainId, MethodName, waiter.Timeout));
    }

    /// <summary>What a caller that has to wait needs; allocated only then.</summary>
    private sealed class Waiter(TimeProvider time, TimeSpan timeout, GrainId grainId)
    {
        public readonly TaskCompletionSource<TResult> Completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TimeProvider Time = time;
        public readonly TimeSpan Timeout = timeout;
        public readonly GrainId GrainId = grainId;
        public ITimer? Timer;
    }
}
