using Grid.Runtime.Events;
using Grid.Runtime.Hosting;
using Grid.Runtime.Metrics;
using Grid.Runtime.Persistence;
using Grid.Runtime.Placement;
using Grid.Runtime.Reminders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grid.Runtime.Core;

/// <summary>
/// The silo's grain runtime: hands out references, routes calls to activations and owns the catalog,
/// reminders, events and idle collection.
/// </summary>
public sealed class GrainRuntime : IGrainFactory, IGrainCallInvoker, IAsyncDisposable
{
    private const int MaxDispatchAttempts = 32;

    private readonly GrainProxyFactory _proxies;
    private readonly GrainTypeRegistry _registry;
    private readonly IGrainPlacement? _placement;
    private readonly IRemoteGrainInvoker? _remote;
    private readonly Lock _stopLock = new();
    private ITimer? _collector;
    private Task? _stopping;

    public GrainRuntime(
        GrainTypeRegistry registry,
        IOptions<GrainRuntimeOptions> options,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        IServiceProvider services)
    {
        Options = options.Value;
        Options.Validate();
        TimeProvider = timeProvider;
        Logger = loggerFactory.CreateLogger("Grid.Runtime");
        _registry = registry;
        Catalog = new Catalog(this, registry, Options.MaxActivations);
        Activator = new GrainActivator(services, services.GetService<GrainStateSerializer>() ?? new GrainStateSerializer());
        _placement = services.GetService<IGrainPlacement>();
        Reminders = new ReminderService(
            this, services.GetService<IReminderTable>(), timeProvider, Logger, _placement is null ? null : Options.ReminderRefreshPeriod);
        _proxies = new GrainProxyFactory(registry);
        _remote = services.GetService<IRemoteGrainInvoker>();
        Metrics = services.GetService<GrainRuntimeMetrics>();
        if (_placement is not null)
        {
            _placement.OwnershipChanged += (_, _) => DeactivateNotOwned();
        }
    }

    public GrainRuntimeOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    public IGrainEvents Events => EventHub;

    /// <summary>Live activations on this silo.</summary>
    public int ActivationCount => Catalog.Count;

    internal GrainEventHub EventHub { get; } = new();

    internal ILogger Logger { get; }

    internal Catalog Catalog { get; }

    internal GrainActivator Activator { get; }

    internal ReminderService Reminders { get; }

    /// <summary>Where sampled call durations go (absent when the runtime is built without its metrics).</summary>
    internal GrainRuntimeMetrics? Metrics { get; }

    public IGrain GetGrain(Type grainInterface, string key, GrainCallOptions? options = null) =>
        _proxies.Create(grainInterface, this, key, options ?? GrainCallOptions.Default);

    public void Send(GrainReference target, GrainCall call) =>
        Send(target.GrainId, call, timeout: null, target.TypeHandle as GrainTypeInfo, target);

    /// <summary>Sends a call the runtime makes itself (reminders) or one from a reference (whose options then apply).</summary>
    internal void Send(GrainId target, GrainCall call, TimeSpan? timeout, GrainTypeInfo? type = null, GrainReference? reference = null)
    {
        if (_placement is not null && !_placement.IsLocal(target))
        {
            var waited = WaitFor(call, timeout ?? reference?.Options.ResponseTimeout);
            call.PrepareWait(TimeProvider, waited, target);
            if (_remote is null)
            {
                call.Fail(new InvalidOperationException($"{target} is owned by another silo and no remote invoker is configured."));
            }
            else
            {
                _remote.Send(target, call, waited); // the owner is given the caller's own timeout, the reference's included
            }

            return;
        }

        SendHere(target, call, timeout, type, reference);
    }

    /// <summary>
    /// Runs the call on this silo whatever placement says: for calls another silo sent here after checking that
    /// this silo owns the grain (so a call is never forwarded twice).
    /// </summary>
    internal void SendHere(GrainId target, GrainCall call, TimeSpan? timeout, GrainTypeInfo? type = null, GrainReference? reference = null)
    {
        if ((SynchronizationContext.Current as ActivationSyncContext)?.Request is { } caller)
        {
            call.Caller = caller; // stored only when there is one: every reference store costs a GC barrier
        }

        try
        {
            if (reference?.CachedTarget is not ActivationData cached || !cached.Submit(call, onCallerThread: true))
            {
                var accepted = Dispatch(call, type ?? _registry.GetByName(target.Type), target.Key, onCallerThread: true);
                if (reference is not null)
                {
                    reference.CachedTarget = accepted;
                }
            }
        }
        catch (Exception refused)
        {
            call.Fail(refused);
        }

        if (!call.IsCompleted)
        {
            PrepareWait(call, timeout ?? reference?.Options.ResponseTimeout, target);
        }
    }

    /// <summary>What a caller needs only when it has to wait: the clock and its timeout.</summary>
    private void PrepareWait(GrainCall call, TimeSpan? timeout, GrainId target) =>
        call.PrepareWait(TimeProvider, WaitFor(call, timeout), target);

    /// <summary>How long a caller waits: the reference's timeout, else the method's, else the runtime's.</summary>
    private TimeSpan WaitFor(GrainCall call, TimeSpan? timeout) => timeout ?? call.ResponseTimeout ?? Options.ResponseTimeout;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Reminders.StartAsync(cancellationToken);
        _collector = TimeProvider.CreateTimer(static s => ((GrainRuntime)s!).CollectIdle(), this, Options.CollectionQuantum, Options.CollectionQuantum);
    }

    /// <summary>Stops timers and reminders, then deactivates every activation (their OnDeactivateAsync runs). Idempotent.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_stopLock)
        {
            return _stopping ??= StopOnceAsync(cancellationToken);
        }
    }

    private async Task StopOnceAsync(CancellationToken cancellationToken)
    {
        _collector?.Dispose();
        Reminders.Dispose();
        try
        {
            await Catalog.DeactivateAllAsync(DeactivationReason.SiloShutdown, Options.DeactivationTimeout, TimeProvider).WaitAsync(cancellationToken);
        }
        catch (Exception stuck) when (stuck is TimeoutException or OperationCanceledException)
        {
            // A grain whose call never ends must not keep the silo from stopping; its state is as durable as its last write.
            Logger.LogWarning("Stopped with {Count} activations still busy", Catalog.Count);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    /// <summary>Whether this silo owns the grain now (always, outside a cluster).</summary>
    internal bool OwnsHere(GrainId grainId) => _placement?.IsLocal(grainId) ?? true;

    /// <summary>
    /// Deactivates every activation of a grain this silo no longer owns (the view changed), so the owner's
    /// activation is the only one; calls still queued in them move to the owner. Returns how many went.
    /// </summary>
    public int DeactivateNotOwned()
    {
        if (_placement is null)
        {
            return 0;
        }

        var moved = 0;
        foreach (var activation in Catalog.Activations)
        {
            if (!_placement.IsLocal(activation.GrainId))
            {
                activation.StartDeactivation(DeactivationReason.NotOwner);
                moved++;
            }
        }

        if (moved > 0)
        {
            Logger.LogInformation("Deactivating {Count} activations owned by other silos after a view change", moved);
        }

        return moved;
    }

    /// <summary>
    /// Sends a call that was waiting in an activation that went away to the grain's next activation: here, or
    /// at its owner when the activation went because another silo owns the grain now.
    /// </summary>
    internal void Redispatch(GrainCall request)
    {
        if (request.IsAbandoned)
        {
            return;
        }

        var previous = (ActivationData)request.Target!;
        if (_placement is not null && !_placement.IsLocal(previous.GrainId))
        {
            // As Send does: dispatched here again, it would make an activation that goes at once as not owned, round after round.
            if (_remote is null)
            {
                request.Fail(new InvalidOperationException($"{previous.GrainId} is owned by another silo and no remote invoker is configured."));
            }
            else
            {
                _remote.Send(previous.GrainId, request, WaitFor(request, request.WaitTimeout));
            }

            return;
        }

        try
        {
            Dispatch(request, previous.Type, previous.GrainId.Key, onCallerThread: false);
        }
        catch (Exception refused)
        {
            request.Fail(refused);
        }
    }

    internal void CollectIdle()
    {
        var now = TimeProvider.GetTimestamp();
        foreach (var activation in Catalog.Activations)
        {
            activation.CollectIfIdle(now, Options.CollectionAge);
        }
    }

    /// <summary>Hands the call to the grain's activation (creating it if needed) and returns that activation.</summary>
    private ActivationData Dispatch(GrainCall request, GrainTypeInfo type, string key, bool onCallerThread)
    {
        // An activation can vanish between lookup and submit; the next lookup finds or creates its successor.
        for (var attempt = 0; attempt < MaxDispatchAttempts; attempt++)
        {
            var activation = Catalog.GetOrCreate(type, key);
            if (activation.Submit(request, onCallerThread))
            {
                return activation;
            }
        }

        throw new SiloUnavailableException($"{type.Name}/{key} kept deactivating while a call was routed to it.");
    }
}
