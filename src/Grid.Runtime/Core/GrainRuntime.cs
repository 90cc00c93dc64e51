using Grid.Runtime.Events;
using Grid.Runtime.Hosting;
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
        Catalog = new Catalog(this, registry, Options.MaxActivations);
        Activator = new GrainActivator(services, services.GetService<GrainStateSerializer>() ?? new GrainStateSerializer());
        Reminders = new ReminderService(this, services.GetService<IReminderTable>(), timeProvider, Logger);
        _proxies = new GrainProxyFactory(registry);
        _placement = services.GetService<IGrainPlacement>();
        _remote = services.GetService<IRemoteGrainInvoker>();
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

    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey =>
        _proxies.Create<TGrainInterface>(this, key, GrainCallOptions.Default);

    public TGrainInterface GetGrain<TGrainInterface>(string key, GrainCallOptions options)
        where TGrainInterface : IGrainWithStringKey =>
        _proxies.Create<TGrainInterface>(this, key, options);

    public Task<TResult> InvokeAsync<TResult>(GrainId target, GrainInvokable<TResult> invokable, GrainCallOptions options)
    {
        if (_placement is not null && !_placement.IsLocal(target))
        {
            return _remote?.InvokeAsync(target, invokable, options)
                ?? Task.FromException<TResult>(new InvalidOperationException($"{target} is owned by another silo and no remote invoker is configured."));
        }

        var caller = (SynchronizationContext.Current as ActivationSyncContext)?.Request;
        var request = new GrainRequest<TResult>(target, invokable, caller);
        try
        {
            Dispatch(request);
        }
        catch (Exception refused)
        {
            return Task.FromException<TResult>(refused);
        }

        var timeout = options.ResponseTimeout ?? invokable.ResponseTimeout ?? Options.ResponseTimeout;
        return request.GetResultAsync(TimeProvider, timeout);
    }

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

    /// <summary>Sends a call that was waiting in an activation that went away to the grain's next activation.</summary>
    internal void Redispatch(GrainRequest request)
    {
        if (request.IsAbandoned)
        {
            return;
        }

        try
        {
            Dispatch(request);
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

    private void Dispatch(GrainRequest request)
    {
        // An activation can vanish between lookup and submit; the next lookup finds or creates its successor.
        for (var attempt = 0; attempt < MaxDispatchAttempts; attempt++)
        {
            if (Catalog.GetOrCreate(request.TargetId).Submit(request))
            {
                return;
            }
        }

        throw new SiloUnavailableException($"{request.TargetId} kept deactivating while a call was routed to it.");
    }
}
