using System.Runtime.CompilerServices;
using Grid.Runtime.Hosting;
using Grid.Runtime.Timers;
using Microsoft.Extensions.Logging;

namespace Grid.Runtime.Core;

/// <summary>
/// One activation of a grain: its instance, its mailbox and its executor.
/// <para>
/// The mailbox decides when a call may start (non-reentrant: one call at a time, from start until its
/// task completes; reentrant: any number). The executor runs the activation's code one piece at a time:
/// call starts, await continuations (posted through <see cref="ActivationSyncContext"/>) and lifecycle
/// steps. An idle activation runs a call inline on the caller's thread; otherwise the executor drains
/// its queue on the thread pool, a bounded slice at a time.
/// </para>
/// All mutable fields are guarded by <c>_lock</c>; grain code never runs while it is held.
/// </summary>
internal sealed class ActivationData : IGrainContext, IThreadPoolWorkItem
{
    private const int SliceLimit = 64;
    private const int MaxCallChainDepth = 64;

    private readonly Lock _lock = new();
    private readonly Queue<GrainRequest> _pending = new();
    private readonly Queue<WorkItem> _work = new();
    private readonly List<GrainTimer> _timers = [];
    private readonly GrainRuntime _runtime;
    private readonly ActivationSyncContext _sharedContext;
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _maxPending;

    private ActivationStatus _status = ActivationStatus.Activating;
    private int _running;
    private bool _executorBusy;
    private bool _deactivationQueued;
    private DeactivationReason? _deactivationReason;
    private long _lastUse;
    private GrainRequest? _current;
    private Grain? _grain;

    public ActivationData(GrainId grainId, GrainTypeInfo type, GrainRuntime runtime)
    {
        GrainId = grainId;
        Type = type;
        _runtime = runtime;
        _maxPending = runtime.Options.MaxPendingRequestsPerActivation;
        _sharedContext = new ActivationSyncContext(this, null);
        _lastUse = runtime.TimeProvider.GetTimestamp();
    }

    public GrainId GrainId { get; }

    public GrainTypeInfo Type { get; }

    public IGrainFactory GrainFactory => _runtime;

    public TimeProvider TimeProvider => _runtime.TimeProvider;

    /// <summary>The running call of a non-reentrant activation (null for reentrant ones).</summary>
    public GrainRequest? CurrentRequest => _current;

    /// <summary>Completes once the activation is gone (deactivated or failed to activate).</summary>
    public Task Deactivated => _deactivated.Task;

    internal Grain? GrainInstance => _grain;

    internal ActivationStatus Status
    {
        get
        {
            lock (_lock)
            {
                return _status;
            }
        }
    }

    /// <summary>Called once by the catalog for the activation that won the race for its id.</summary>
    public void BeginActivation()
    {
        Type.Stats.ActivationAdded();
        lock (_lock)
        {
            _executorBusy = true;
            _work.Enqueue(WorkItem.Lifecycle(WorkItemKind.Activate));
        }

        Schedule();
    }

    /// <summary>
    /// Hands a call to this activation. False when the activation is already gone, in which case the
    /// caller looks the grain up again. Throws when the call is refused (cycle, full mailbox).
    /// </summary>
    public bool Submit(GrainRequest request)
    {
        if (!Type.IsReentrant && request.Caller is not null)
        {
            ThrowIfCycle(request);
        }

        var runInline = false;
        var schedule = false;
        lock (_lock)
        {
            if (_status == ActivationStatus.Invalid)
            {
                return false;
            }

            request.Target = this;
            if (_status == ActivationStatus.Active && _pending.Count == 0 && (Type.IsReentrant || _running == 0))
            {
                _running++;
                if (!_executorBusy)
                {
                    _executorBusy = true;
                    // Deep synchronous call chains run inline until the stack runs short, then hop to the pool.
                    runInline = RuntimeHelpers.TryEnsureSufficientExecutionStack();
                    schedule = !runInline;
                }

                if (!runInline)
                {
                    _work.Enqueue(WorkItem.Start(request));
                }
            }
            else if (_pending.Count >= _maxPending)
            {
                throw new GrainOverloadedException(GrainId, _maxPending);
            }
            else
            {
                _pending.Enqueue(request);
            }
        }

        if (runInline)
        {
            RunInline(request);
        }
        else if (schedule)
        {
            Schedule();
        }

        return true;
    }

    /// <summary>An await inside grain code finished: its continuation runs as the next piece on the executor.</summary>
    public void Post(SendOrPostCallback callback, object? state, ActivationSyncContext context)
    {
        bool schedule;
        lock (_lock)
        {
            _work.Enqueue(WorkItem.Continue(callback, state, context));
            schedule = TryClaimExecutorLocked();
        }

        if (schedule)
        {
            Schedule();
        }
    }

    /// <summary>A call that went asynchronous has completed.</summary>
    public void OnRequestCompleted(GrainRequest request)
    {
        bool schedule;
        lock (_lock)
        {
            schedule = CompleteLocked(request);
        }

        Record(request);
        request.Deliver();
        if (schedule)
        {
            Schedule();
        }
    }

    public void StartDeactivation(DeactivationReason reason)
    {
        bool schedule;
        lock (_lock)
        {
            if (_status is ActivationStatus.Deactivating or ActivationStatus.Invalid || _deactivationReason is not null)
            {
                return;
            }

            _deactivationReason = reason;
            if (_status == ActivationStatus.Activating)
            {
                return; // picked up when activation completes
            }

            _status = ActivationStatus.Deactivating;
            schedule = PumpLocked();
        }

        if (schedule)
        {
            Schedule();
        }
    }

    /// <summary>Starts deactivation when nothing ran for at least <paramref name="age"/>.</summary>
    public void CollectIfIdle(long now, TimeSpan age)
    {
        lock (_lock)
        {
            if (_status != ActivationStatus.Active || _running > 0 || _pending.Count > 0
                || _runtime.TimeProvider.GetElapsedTime(_lastUse, now) < age)
            {
                return;
            }
        }

        StartDeactivation(DeactivationReason.IdleCollected);
    }

    void IThreadPoolWorkItem.Execute()
    {
        for (var i = 0; i < SliceLimit; i++)
        {
            WorkItem item;
            lock (_lock)
            {
                if (!_work.TryDequeue(out item))
                {
                    _executorBusy = false;
                    return;
                }
            }

            Run(item);
        }

        // Slice used up: give the thread back and continue later, so one busy grain cannot starve others.
        Schedule();
    }

    // IGrainContext

    public IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new GrainTimer(this, callback, dueTime, period, _runtime.TimeProvider, _runtime.Logger);
        lock (_lock)
        {
            if (_status is ActivationStatus.Deactivating or ActivationStatus.Invalid)
            {
                timer.Dispose();
                throw new InvalidOperationException($"{GrainId} is deactivating; no new timers.");
            }

            _timers.Add(timer);
        }

        timer.Start();
        return timer;
    }

    public Task RegisterOrUpdateReminderAsync(string name, TimeSpan dueTime, TimeSpan period, CancellationToken cancellationToken = default) =>
        _runtime.Reminders.RegisterOrUpdateAsync(GrainId, name, dueTime, period, cancellationToken);

    public Task UnregisterReminderAsync(string name, CancellationToken cancellationToken = default) =>
        _runtime.Reminders.UnregisterAsync(GrainId, name, cancellationToken);

    public void DeactivateOnIdle() => StartDeactivation(DeactivationReason.Requested);

    public void Publish<TEvent>(TEvent @event) => _runtime.EventHub.Publish(GrainId, @event);

    internal void RemoveTimer(GrainTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    /// <summary>Submits a call that must run on this very activation (timer ticks); false when it is no longer active.</summary>
    internal bool SubmitLocal(GrainRequest request)
    {
        lock (_lock)
        {
            if (_status != ActivationStatus.Active)
            {
                return false;
            }
        }

        return Submit(request);
    }

    private void RunInline(GrainRequest request)
    {
        var completed = StartRequest(request);
        bool schedule;
        lock (_lock)
        {
            if (completed)
            {
                CompleteLocked(request); // the executor is ours: nothing to claim
            }

            // Keep the executor if work arrived meanwhile, and hand it to the pool.
            schedule = _work.Count > 0;
            _executorBusy = schedule;
        }

        if (completed)
        {
            Record(request);
            request.Deliver();
        }

        if (schedule)
        {
            Schedule();
        }
    }

    private void Run(in WorkItem item)
    {
        switch (item.Kind)
        {
            case WorkItemKind.StartRequest:
                var request = item.Request!;
                if (StartRequest(request))
                {
                    lock (_lock)
                    {
                        CompleteLocked(request);
                    }

                    Record(request); // counted before the caller can see the result
                    request.Deliver();
                }

                break;
            case WorkItemKind.Continuation:
                RunWithContext(item.Context!, item.Callback!, item.State);
                break;
            case WorkItemKind.Activate:
                RunLifecycle(ActivateAsync, static (a, t) => a.OnActivated(t));
                break;
            case WorkItemKind.Deactivate:
                RunLifecycle(DeactivateAsync, static (a, t) => a.OnDeactivated(t));
                break;
        }
    }

    private bool StartRequest(GrainRequest request)
    {
        var context = _sharedContext;
        if (Type.IsReentrant)
        {
            context = new ActivationSyncContext(this, request);
        }
        else
        {
            _current = request;
        }

        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        try
        {
            return request.Start(_grain!);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private void RunWithContext(ActivationSyncContext context, SendOrPostCallback callback, object? state)
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        try
        {
            callback(state);
        }
        catch (Exception error)
        {
            // Await continuations capture their own exceptions; reaching here is a runtime bug worth seeing.
            _runtime.Logger.LogError(error, "Continuation of {GrainId} threw", GrainId);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private void RunLifecycle(Func<Task> step, Action<ActivationData, Task> done)
    {
        Task task;
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_sharedContext);
        try
        {
            task = step();
        }
        catch (Exception error)
        {
            task = Task.FromException(error);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        task.ContinueWith(
            static (t, s) => { var (activation, callback) = ((ActivationData, Action<ActivationData, Task>))s!; callback(activation, t); },
            (this, done),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task ActivateAsync()
    {
        using var cancellation = new CancellationTokenSource(_runtime.Options.DeactivationTimeout, _runtime.TimeProvider);
        var (grain, states) = _runtime.Activator.Create(Type, this);
        _grain = grain;
        foreach (var state in states)
        {
            await state.ReadStateAsync(cancellation.Token);
        }

        await grain.OnActivateAsync(cancellation.Token);
    }

    private void OnActivated(Task activation)
    {
        if (activation.Exception is { } failure)
        {
            var error = new GrainActivationException(GrainId, failure.InnerException ?? failure);
            _runtime.Logger.LogWarning(error.InnerException, "Activation of {GrainId} failed", GrainId);
            foreach (var request in Invalidate())
            {
                request.Fail(error);
                Record(request);
            }

            return;
        }

        bool schedule;
        lock (_lock)
        {
            _status = _deactivationReason is null ? ActivationStatus.Active : ActivationStatus.Deactivating;
            _lastUse = _runtime.TimeProvider.GetTimestamp();
            schedule = PumpLocked();
        }

        if (schedule)
        {
            Schedule();
        }
    }

    private async Task DeactivateAsync()
    {
        GrainTimer[] timers;
        DeactivationReason reason;
        lock (_lock)
        {
            timers = [.. _timers];
            reason = _deactivationReason ?? DeactivationReason.Requested;
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }

        var timeout = _runtime.Options.DeactivationTimeout;
        using var cancellation = new CancellationTokenSource(timeout, _runtime.TimeProvider);
        await _grain!.OnDeactivateAsync(reason, cancellation.Token).WaitAsync(timeout, _runtime.TimeProvider);
    }

    private void OnDeactivated(Task deactivation)
    {
        if (deactivation.Exception is { } failure)
        {
            _runtime.Logger.LogWarning(failure.InnerException, "OnDeactivateAsync of {GrainId} failed", GrainId);
        }

        foreach (var request in Invalidate())
        {
            _runtime.Redispatch(request);
        }
    }

    /// <summary>Takes the activation out of service and returns the calls that were waiting in it.</summary>
    private GrainRequest[] Invalidate()
    {
        // Leave the catalog first, so nobody who looks the grain up again can find this activation.
        _runtime.Catalog.Remove(this);
        GrainRequest[] waiting;
        lock (_lock)
        {
            _status = ActivationStatus.Invalid;
            waiting = [.. _pending];
            _pending.Clear();
        }

        Type.Stats.ActivationRemoved();
        _deactivated.TrySetResult();
        return waiting;
    }

    /// <summary>Books a finished call and starts what may start now. True when the caller must schedule the executor.</summary>
    private bool CompleteLocked(GrainRequest request)
    {
        _running--;
        if (ReferenceEquals(_current, request))
        {
            _current = null;
        }

        if (request.KeepsAlive)
        {
            _lastUse = _runtime.TimeProvider.GetTimestamp();
        }

        return PumpLocked();
    }

    /// <summary>Moves startable calls (or the deactivation step) to the executor. True when the caller must schedule it.</summary>
    private bool PumpLocked()
    {
        if (_status == ActivationStatus.Active)
        {
            while (_pending.Count > 0 && (Type.IsReentrant || _running == 0))
            {
                var next = _pending.Dequeue();
                if (next.IsAbandoned)
                {
                    continue; // its caller already got a timeout; running it now would surprise everyone
                }

                _running++;
                _work.Enqueue(WorkItem.Start(next));
            }
        }
        else if (_status == ActivationStatus.Deactivating && _running == 0 && !_deactivationQueued)
        {
            _deactivationQueued = true;
            _work.Enqueue(WorkItem.Lifecycle(WorkItemKind.Deactivate));
        }

        return TryClaimExecutorLocked();
    }

    private bool TryClaimExecutorLocked()
    {
        if (_executorBusy || _work.Count == 0)
        {
            return false;
        }

        _executorBusy = true;
        return true;
    }

    private void Schedule() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);

    private void Record(GrainRequest request) =>
        Type.Stats.For(request.Invokable).Record(_runtime.TimeProvider.GetElapsedTime(request.SubmittedAt), request.Failed);

    /// <summary>
    /// Refuses a call that would wait on this non-reentrant activation while this activation is itself
    /// waiting, further up the same call chain, for the call to finish: a certain deadlock.
    /// </summary>
    private void ThrowIfCycle(GrainRequest request)
    {
        var depth = 0;
        for (var link = request.Caller; link is not null && depth < MaxCallChainDepth; link = link.Caller, depth++)
        {
            if (link.TargetId == GrainId && !link.IsCompleted)
            {
                var chain = new List<string>();
                for (var step = request.Caller; step is not null && chain.Count < MaxCallChainDepth; step = step.Caller)
                {
                    chain.Add(step.Describe());
                    if (ReferenceEquals(step, link))
                    {
                        break;
                    }
                }

                chain.Reverse();
                chain.Add(request.Describe());
                throw new GrainCallCycleException(GrainId, request.Invokable.MethodName, chain);
            }
        }
    }
}
