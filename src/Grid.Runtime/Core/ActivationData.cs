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
/// <para>
/// Mailbox fields are guarded by <c>_lock</c>; grain code never runs while it is held. On top of that, a
/// lock-free fast path: while the activation is idle (active, nothing pending, running or queued) the
/// state word <c>_fast</c> reads <see cref="FastIdle"/>, and a caller takes the whole activation with one
/// compare-exchange, runs its call inline and hands it back with another. Any locked operation that
/// meets a fast holder only queues (mailbox or work) and marks the word <see cref="FastHeldContended"/>;
/// the holder then finishes through the lock and everything continues the slow way.
/// </para>
/// </summary>
internal sealed class ActivationData : IGrainContext, ICallTarget, IThreadPoolWorkItem
{
    private const int SliceLimit = 64;

    // Values of _fast. Only FastNone means the locked fields tell the whole truth.
    private const int FastNone = 0;
    private const int FastIdle = 1;
    private const int FastHeld = 2;
    private const int FastHeldContended = 3;

    // One call in this many (and the first) is timed: reading the clock costs more than a local call.
    private const int LatencySampleMask = 255;
    private const int MaxCallChainDepth = 64;

    private readonly Lock _lock = new();
    private readonly Queue<GrainCall> _pending = new();
    private readonly Queue<WorkItem> _work = new();
    private readonly List<GrainTimer> _timers = [];
    private readonly GrainRuntime _runtime;
    private readonly ActivationSyncContext _sharedContext;
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _maxPending;
    private readonly bool _reentrant;

    private ActivationStatus _status = ActivationStatus.Activating;
    private int _fast = FastNone;
    private int _running;
    private bool _executorBusy;
    private bool _deactivationQueued;
    private DeactivationReason? _deactivationReason;
    private long _uses;
    private long _usesAtLastSweep;
    private long _idleSince;
    private long _calls;
    private Type? _lastInvokableType;
    private Metrics.MethodStats? _lastMethodStats;
    private readonly Metrics.CallCounts _callCounts;
    private readonly long[] _callSlots; // _callCounts.Slots, one read less per call
    private GrainReference? _canonical;
    private GrainCall? _current;
    private Grain? _grain;

    public ActivationData(GrainId grainId, GrainTypeInfo type, GrainRuntime runtime)
    {
        GrainId = grainId;
        Type = type;
        _runtime = runtime;
        _maxPending = runtime.Options.MaxPendingRequestsPerActivation;
        _reentrant = type.IsReentrant;
        _sharedContext = new ActivationSyncContext(this, null);
        _callCounts = new Metrics.CallCounts(type.Stats.Slots);
        _callSlots = _callCounts.Slots;
        _idleSince = runtime.TimeProvider.GetTimestamp();
    }

    public GrainId GrainId { get; }

    public GrainTypeInfo Type { get; }

    public IGrainFactory GrainFactory => _runtime;

    public TimeProvider TimeProvider => _runtime.TimeProvider;

    /// <summary>The running call of a non-reentrant activation (null for reentrant ones).</summary>
    public GrainCall? CurrentRequest => _current;

    /// <summary>Completes once the activation is gone (deactivated or failed to activate).</summary>
    public Task Deactivated => _deactivated.Task;

    internal Metrics.CallCounts CallCounts => _callCounts;

    /// <summary>The shared reference to this activation through <paramref name="grainInterface"/>, if one was made (one interface is cached).</summary>
    public IGrain? CanonicalReference(Type grainInterface) =>
        _canonical is { } shared && ReferenceEquals(shared.InterfaceType, grainInterface)
            ? Unsafe.As<IGrain>(shared) // a generated proxy, checked to be an IGrain when it was stored
            : null;

    /// <summary>The reference carries its own interface, so the check and the reference are one read (no torn pair).</summary>
    public void SetCanonicalReference(GrainReference reference)
    {
        if (reference is not IGrain || reference.InterfaceType is null)
        {
            throw new ArgumentException("Only a generated proxy stamped with its interface can be shared.", nameof(reference));
        }

        _canonical = reference;
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
    /// <paramref name="onCallerThread"/>: submitted by the caller itself, which cannot be waiting yet.
    /// </summary>
    public bool Submit(GrainCall request, bool onCallerThread)
    {
        if (!_reentrant && request.Caller is not null)
        {
            ThrowIfCycle(request);
        }

        // Deep synchronous call chains run inline until the stack runs short, then hop to the pool. Only
        // grain code calling grains can nest (it has a caller link); the check itself calls into the runtime.
        var inlineAllowed = request.Caller is null || RuntimeHelpers.TryEnsureSufficientExecutionStack();
        if (inlineAllowed && Volatile.Read(ref _fast) == FastIdle && Interlocked.CompareExchange(ref _fast, FastHeld, FastIdle) == FastIdle)
        {
            RunHeld(request, onCallerThread);
            return true;
        }

        var runInline = false;
        var schedule = false;
        lock (_lock)
        {
            var held = EnterLocked();
            if (_status == ActivationStatus.Invalid)
            {
                return false;
            }

            Accept(request);
            if (!held && _status == ActivationStatus.Active && _pending.Count == 0 && CanStartLocked())
            {
                _running++;
                if (!_executorBusy)
                {
                    _executorBusy = true;
                    runInline = inlineAllowed;
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
            var held = EnterLocked();
            _work.Enqueue(WorkItem.Continue(callback, state, context));
            schedule = !held && TryClaimExecutorLocked(); // a fast holder schedules it when it lets go
        }

        if (schedule)
        {
            Schedule();
        }
    }

    /// <summary>A call that went asynchronous has completed.</summary>
    public void OnCallCompleted(GrainCall request)
    {
        CountCall(request, exclusive: false);
        bool schedule;
        lock (_lock)
        {
            if (EnterLocked())
            {
                // Completion is observed only after the call was booked, which ends any fast hold.
                throw new InvalidOperationException($"Invariant broken: {request.Describe()} completed while {GrainId} was held on the fast path.");
            }

            schedule = CompleteLocked(request);
            PublishIdleLocked();
        }

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
            var held = EnterLocked();
            if (_status is ActivationStatus.Deactivating or ActivationStatus.Invalid || _deactivationReason is not null)
            {
                PublishIdleLocked(held);
                return;
            }

            _deactivationReason = reason;
            if (_status == ActivationStatus.Activating)
            {
                return; // picked up when activation completes
            }

            _status = ActivationStatus.Deactivating;
            schedule = !held && PumpLocked(); // with a fast holder, its release pumps
        }

        if (schedule)
        {
            Schedule();
        }
    }

    /// <summary>
    /// Called by the collector every quantum. Calls only bump a counter (no clock read); a sweep that sees
    /// the counter moved, or a call in progress, restarts the idle time. So an activation is collected
    /// after at least <paramref name="age"/> without use, and at most one quantum later.
    /// </summary>
    public void CollectIfIdle(long now, TimeSpan age)
    {
        lock (_lock)
        {
            var held = EnterLocked();
            if (held || _uses != _usesAtLastSweep || _running > 0 || _pending.Count > 0)
            {
                _usesAtLastSweep = _uses;
                _idleSince = now;
                PublishIdleLocked(held);
                return;
            }

            if (_status != ActivationStatus.Active || _runtime.TimeProvider.GetElapsedTime(_idleSince, now) < age)
            {
                PublishIdleLocked(held);
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
                    PublishIdleLocked();
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

    /// <summary>
    /// Submits a call that must run on this very activation (timer ticks); false when it is going or gone. While it
    /// is still activating (a timer registered in OnActivateAsync and due at once) the call waits for it like any other.
    /// </summary>
    internal bool SubmitLocal(GrainCall request)
    {
        lock (_lock)
        {
            if (_status is ActivationStatus.Deactivating or ActivationStatus.Invalid)
            {
                return false;
            }
        }

        return Submit(request, onCallerThread: true);
    }

    /// <summary>
    /// Runs a call on the fast path: the caller took the idle activation with one compare-exchange, so the
    /// locked fields still read idle and nothing else runs here. The common synchronous call ends with a
    /// second compare-exchange; anything else (async call, work queued meanwhile) goes back under the lock.
    /// </summary>
    private void RunHeld(GrainCall request, bool onCallerThread)
    {
        Accept(request);
        var completed = StartRequest(request);
        if (completed)
        {
            CountCall(request, exclusive: true); // the activation is ours alone: a plain increment will do
            FinishedWhileHeld(request);
            if (Interlocked.CompareExchange(ref _fast, FastIdle, FastHeld) == FastHeld)
            {
                if (onCallerThread)
                {
                    request.DeliverBeforeAwait();
                }
                else
                {
                    request.Deliver();
                }

                return;
            }
        }

        bool schedule;
        lock (_lock)
        {
            // Make the locked fields say what the holder holds (the executor, maybe a running call), then let go.
            Volatile.Write(ref _fast, FastNone);
            _running = completed ? 0 : 1;
            _executorBusy = true;
            PumpLocked();
            schedule = _work.Count > 0;
            _executorBusy = schedule;
            PublishIdleLocked();
        }

        HandOver(request, completed, schedule);
    }

    /// <summary>Books the holder's call as finished (fields the fast path owns alone); a timer tick is no use, as on the slow path.</summary>
    private void FinishedWhileHeld(GrainCall request)
    {
        if (!request.IsTimerTick)
        {
            _uses++;
        }

        _current = null;
    }

    private void Accept(GrainCall request)
    {
        request.Target = this;
        // Not atomic on purpose: a lost increment only shifts which call gets timed.
        if ((++_calls & LatencySampleMask) == 1)
        {
            request.SampledAt = _runtime.TimeProvider.GetTimestamp();
        }
    }

    /// <summary>
    /// Called first in every locked section that touches mailbox fields. Takes the activation out of the
    /// idle state (so no fast caller can enter), or, when a fast holder is inside, marks it contended and
    /// returns true: the caller may then only queue.
    /// </summary>
    private bool EnterLocked()
    {
        while (true)
        {
            switch (Volatile.Read(ref _fast))
            {
                case FastNone:
                    return false;
                case FastIdle when Interlocked.CompareExchange(ref _fast, FastNone, FastIdle) == FastIdle:
                    return false;
                case FastHeldContended:
                    return true;
                case FastHeld when Interlocked.CompareExchange(ref _fast, FastHeldContended, FastHeld) == FastHeld:
                    return true;
            }
        }
    }

    /// <summary>Ends a locked section: reopens the fast path when the activation is idle again.</summary>
    private void PublishIdleLocked(bool held = false)
    {
        if (!held && _status == ActivationStatus.Active && _running == 0 && !_executorBusy && _pending.Count == 0 && _work.Count == 0)
        {
            Volatile.Write(ref _fast, FastIdle);
        }
    }

    private void RunInline(GrainCall request)
    {
        var completed = StartRequest(request);
        if (completed)
        {
            CountCall(request, exclusive: false); // a reentrant sibling may be counting on another thread
        }

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
            PublishIdleLocked();
        }

        HandOver(request, completed, schedule);
    }

    /// <summary>
    /// After a call started and its completion (if any) was counted and booked: delivers a finished call, or
    /// starts watching one still running; then schedules the executor if asked.
    /// </summary>
    private void HandOver(GrainCall request, bool completed, bool schedule)
    {
        if (completed)
        {
            request.Deliver();
        }
        else
        {
            request.ObserveCompletion();
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
                if (request.IsAbandoned)
                {
                    // Its caller got a timeout while it waited behind other work: dropped, as it would be from the mailbox.
                    lock (_lock)
                    {
                        CompleteLocked(request);
                    }

                    break;
                }

                var completed = StartRequest(request);
                if (completed)
                {
                    CountCall(request, exclusive: false);
                    lock (_lock)
                    {
                        CompleteLocked(request); // the executor is ours: nothing to claim
                    }
                }

                HandOver(request, completed, schedule: false);
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

    private bool StartRequest(GrainCall request)
    {
        var context = _sharedContext;
        if (_reentrant)
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
        if (!activation.IsCompletedSuccessfully)
        {
            // A cancelled activation (its state read or OnActivateAsync outlasted the deadline) carries no exception, and
            // kept, it would answer calls from state never read.
            Exception cause = activation.Exception is { } failed
                ? failed.InnerException ?? failed
                : new OperationCanceledException($"Activation of {GrainId} was cancelled (a state read or OnActivateAsync that outlasted {_runtime.Options.DeactivationTimeout}, or cancelled itself).");
            var error = new GrainActivationException(GrainId, cause);
            _runtime.Logger.LogWarning(error.InnerException, "Activation of {GrainId} failed", GrainId);
            foreach (var request in Invalidate())
            {
                request.Fail(error);
                Type.Stats.For(request).Record(elapsed: null, failed: true); // never ran here: no activation slot
            }

            return;
        }

        bool schedule;
        lock (_lock)
        {
            _status = _deactivationReason is null ? ActivationStatus.Active : ActivationStatus.Deactivating;
            schedule = PumpLocked();
            PublishIdleLocked();
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
        var deactivating = _grain!.OnDeactivateAsync(reason, cancellation.Token);
        try
        {
            await deactivating.WaitAsync(timeout, _runtime.TimeProvider);
        }
        catch (TimeoutException)
        {
            // Its token is cancelled, yet it runs on (a write that ignores the token): the grain stays out of service
            // until it ends, as a second activation beside it could act on state this one is still changing. Calls wait
            // (and time out); a silo stopping is bounded by its own deadline.
            _runtime.Logger.LogError(
                "OnDeactivateAsync of {GrainId} still runs {Timeout} after it was asked to stop; the grain takes no calls until it ends",
                GrainId, timeout);
            await deactivating;
        }
    }

    private void OnDeactivated(Task deactivation)
    {
        if (deactivation.Exception is { } failure)
        {
            _runtime.Logger.LogWarning(failure.InnerException, "OnDeactivateAsync of {GrainId} failed", GrainId);
        }

        foreach (var request in Invalidate())
        {
            if (request.IsTimerTick)
            {
                // A tick is this activation's own: it ends with it and never runs on the next one.
                request.Fail(new OperationCanceledException($"{GrainId} deactivated before its timer tick ran."));
                continue;
            }

            _runtime.Redispatch(request);
        }
    }

    /// <summary>Takes the activation out of service and returns the calls that were waiting in it.</summary>
    private GrainCall[] Invalidate()
    {
        // Counts first (no call is running: each is counted before it is booked as finished), then leave
        // the catalog, so nobody who looks the grain up again can find this activation.
        Type.Stats.Retire(_callCounts);
        _runtime.Catalog.Remove(this);
        GrainCall[] waiting;
        lock (_lock)
        {
            _status = ActivationStatus.Invalid;
            waiting = [.. _pending];
            _pending.Clear();
            // References that still point here must not keep the grain's state alive.
            _grain = null;
            _canonical = null;
        }

        Type.Stats.ActivationRemoved();
        _deactivated.TrySetResult();
        return waiting;
    }

    /// <summary>Books a finished call and starts what may start now. True when the caller must schedule the executor.</summary>
    private bool CompleteLocked(GrainCall request)
    {
        _running--;
        if (ReferenceEquals(_current, request))
        {
            _current = null;
        }

        if (!request.IsTimerTick)
        {
            _uses++;
        }

        return PumpLocked();
    }

    /// <summary>Moves startable calls (or the deactivation step) to the executor. True when the caller must schedule it.</summary>
    private bool PumpLocked()
    {
        if (_status == ActivationStatus.Active)
        {
            while (_pending.Count > 0 && CanStartLocked())
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

    /// <summary>
    /// Whether one more call may start: none running on a non-reentrant grain; fewer than the pending bound on a
    /// reentrant one, whose calls past it wait in the (equally bounded) mailbox instead of piling up as work.
    /// </summary>
    private bool CanStartLocked() => _reentrant ? _running < _maxPending : _running == 0;

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

    /// <summary>
    /// Counts a finished call. Always before the call is booked as finished, so that a deactivation (which
    /// waits for running calls) never retires this activation's counts while one is still being added.
    /// </summary>
    private void CountCall(GrainCall request, bool exclusive)
    {
        var stats = StatsOf(request);
        TimeSpan? elapsed = null;
        if (request.SampledAt != 0)
        {
            var time = _runtime.TimeProvider.GetElapsedTime(request.SampledAt);
            _runtime.Metrics?.RecordCallDuration(stats, time);
            elapsed = time;
        }

        var counts = _callSlots;
        if (request.Failed || stats.Index >= counts.Length)
        {
            stats.Record(elapsed, request.Failed);
            return;
        }

        if (exclusive)
        {
            counts[stats.Index]++;
        }
        else
        {
            Interlocked.Increment(ref counts[stats.Index]);
        }

        if (elapsed is { } sampled)
        {
            stats.Latency.Record(sampled);
        }
    }

    /// <summary>
    /// Refuses a call that would wait on this non-reentrant activation while this activation is itself
    /// waiting, further up the same call chain, for the call to finish: a certain deadlock.
    /// </summary>
    private void ThrowIfCycle(GrainCall request)
    {
        var depth = 0;
        for (var link = request.Caller; link is not null && depth < MaxCallChainDepth; link = link.Caller, depth++)
        {
            if (link.Target?.GrainId == GrainId && !link.IsCompleted)
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
                chain.Add($"{GrainId}.{request.MethodName}"); // not accepted yet, so it has no target of its own
                throw new GrainCallCycleException(GrainId, request.MethodName, chain);
            }
        }
    }

    /// <summary>
    /// The stats of the call's method. Most activations see one method over and over, so a non-reentrant one
    /// remembers the last in two plain fields: its calls are counted one at a time, so the pair is never torn.
    /// A reentrant one counts calls concurrently and looks the method up each time.
    /// </summary>
    private Metrics.MethodStats StatsOf(GrainCall request)
    {
        if (_reentrant)
        {
            return Type.Stats.For(request);
        }

        var invokableType = request.GetType();
        if (!ReferenceEquals(_lastInvokableType, invokableType))
        {
            _lastMethodStats = Type.Stats.For(request);
            _lastInvokableType = invokableType;
        }

        return _lastMethodStats!;
    }
}
