using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Grid.Contracts.Accounts;
using Grid.Ledger.Accounts;
using Grid.Ledger.Journal;
using Grid.Runtime;
using Grid.Runtime.Membership;
using Grid.Runtime.Transport;
using Grid.Storage;
using Grid.Storage.Stores;

namespace Grid.Client;

/// <summary>
/// The embedded client: typed grain references whose calls go straight to the owning silo. The client keeps
/// its own membership view (from the table, or from silos it is given), computes owners by the same
/// rendezvous hashing as the silos, and refreshes the view every <see cref="GridClientOptions.RefreshPeriod"/>
/// and after any misrouted or failed call. Calls to <c>[Idempotent]</c> methods survive a silo failure: they
/// are sent again until the new owner answers or the call's time is up.
/// </summary>
public sealed class GridClient : IGrainFactory, IGrainCallInvoker, ICallRoutes, IAsyncDisposable
{
    private const int MaxWatchPage = 1_000;

    private readonly GridClientOptions _options;
    private readonly RemoteCallSender _sender;
    private readonly GridDatabase? _database;
    private readonly JournalListener? _listener;
    private readonly ConcurrentDictionary<Type, ProxyInfo> _proxies = new();
    private readonly ConcurrentDictionary<Type, string> _interfaceByProxy = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly SharedRead _refreshes = new();
    private readonly HeartbeatAges _ages;
    private IReadOnlyDictionary<string, string> _grainTypes = new Dictionary<string, string>();
    private MembershipView _view = MembershipView.Empty;
    private Task? _loop;
    private int _disposed;

    private GridClient(GridClientOptions options)
    {
        _options = options;
        _ages = new HeartbeatAges(options.TimeProvider, options.SuspectTimeout);
        if (options.MembershipConnectionString is { } connection)
        {
            // First: a connection string it refuses throws before anything that needs disposing exists.
            _database = GridDatabase.Create(new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = connection });
            _listener = new JournalListener(connection);
        }

        _sender = new RemoteCallSender(new GrainCallSerializer([]), new RemoteErrors(options.ExceptionCodecs), options.Secret);
    }

    /// <summary>The silos the client currently sends calls to.</summary>
    public MembershipView View => Volatile.Read(ref _view);

    /// <summary>Connects: reads the view and the grain types, then keeps the view fresh until disposed.</summary>
    public static async Task<GridClient> ConnectAsync(GridClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var client = new GridClient(options);
        try
        {
            await client.RefreshOnceAsync(cancellationToken);
            client._loop = Task.Run(() => client.RefreshLoopAsync(client._stopping.Token), CancellationToken.None);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public IGrain GetGrain(Type grainInterface, string key, GrainCallOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(grainInterface);
        ArgumentNullException.ThrowIfNull(key);
        var grainType = _grainTypes.TryGetValue(grainInterface.FullName ?? string.Empty, out var name)
            ? name
            : throw new ArgumentException($"No silo in the cluster has a grain implementing {grainInterface}.", nameof(grainInterface));
        var proxy = _proxies.GetOrAdd(grainInterface, Build);
        _interfaceByProxy.TryAdd(proxy.ProxyType, proxy.Interface);
        return proxy.Create(this, new GrainId(grainType, key), options ?? GrainCallOptions.Default);
    }

    void IGrainCallInvoker.Send(GrainReference target, GrainCall call)
    {
        var timeout = target.Options.ResponseTimeout ?? call.ResponseTimeout ?? _options.ResponseTimeout;
        call.PrepareWait(_options.TimeProvider, timeout, target.GrainId);
        _ = SendAsync(target, call, timeout);
    }

    public MembershipEntry? OwnerOf(GrainId grainId) => View.OwnerOf(grainId);

    /// <summary>
    /// The account's journal entries after <paramref name="afterSequence"/>, as they become durable, until
    /// cancelled: read through the account grain, woken by PostgreSQL's announcements (membership connection)
    /// or every <see cref="GridClientOptions.WatchPollPeriod"/>. A watcher that reconnects passes the last
    /// sequence it saw and misses nothing.
    /// </summary>
    public async IAsyncEnumerable<JournalEntry> WatchJournalAsync(
        string accountId, long afterSequence = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        using var subscription = _listener?.Subscribe(accountId);
        var account = this.GetGrain<IAccountGrain>(accountId);
        while (!cancellationToken.IsCancellationRequested)
        {
            var page = await account.GetJournal(afterSequence, MaxWatchPage);
            foreach (var entry in page.Entries)
            {
                yield return entry;
                afterSequence = entry.Sequence;
            }

            if (page.Next is not null)
            {
                continue; // more is there already
            }

            // Both waits end with this pass: tied to the caller's token alone, the one that lost stayed registered on it (and
            // on the subscription) for as long as the watch ran, one more every poll period.
            using var pass = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var poll = Task.Delay(_options.WatchPollPeriod, _options.TimeProvider, pass.Token);
            // WhenAny, never the task itself: a cancelled watch ends its loop instead of throwing out of it.
            await (subscription is null ? Task.WhenAny(poll) : Task.WhenAny(subscription.WaitAsync(afterSequence, pass.Token), poll));
            await pass.CancelAsync();
        }
    }

    /// <summary>The account's balance after each new durable entry (see <see cref="WatchJournalAsync"/>).</summary>
    public async IAsyncEnumerable<Balance> WatchBalanceAsync(
        string accountId, long afterSequence = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var entry in WatchJournalAsync(accountId, afterSequence, cancellationToken))
        {
            yield return entry.Balance;
        }
    }

    /// <summary>Reads the view again; concurrent requests share one read.</summary>
    public Task RefreshAsync(CancellationToken cancellationToken) =>
        _refreshes.RunAsync(() => RefreshOnceAsync(_stopping.Token), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return; // `await using` around a client also disposed by hand: the second is a no-op
        }

        await _stopping.CancelAsync();
        if (_loop is { } loop)
        {
            await loop.ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        _sender.Dispose();
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        _stopping.Dispose();
    }

    private async Task SendAsync(GrainReference target, GrainCall call, TimeSpan timeout)
    {
        try
        {
            await _sender.SendAsync(target.GrainId, _interfaceByProxy[target.GetType()], call, timeout, this, _options.RetryIdempotentCalls);
        }
        catch (OperationCanceledException)
        {
            // The call's own timer fails it with GrainCallTimeoutException.
        }
        catch (Exception failed)
        {
            call.Fail(failed);
        }
    }

    private async Task RefreshLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.RefreshPeriod, _options.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await RefreshAsync(cancellationToken);
                }
                catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // The next round tries again; calls meanwhile use the last view. A timeout of its own is a cancellation
                    // too, and must not end the loop: only disposal does.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private async Task RefreshOnceAsync(CancellationToken cancellationToken)
    {
        if (_database is not null)
        {
            var table = new SqlMembershipTable(_database);
            var readStartedAt = _options.TimeProvider.GetTimestamp();
            var rows = await table.ReadAllAsync(cancellationToken);
            var view = _ages.ViewOf(rows, readStartedAt);
            if (_grainTypes.Count == 0 && view.Silos.Count == 0 && rows.Any(r => r.Status == SiloStatus.Active))
            {
                // Connecting, and every active row looked stale at first sight (by wall clocks: this machine's may run
                // ahead). A live silo's heartbeat moves within a third of the suspect timeout (its heartbeat period is at
                // most that), and a heartbeat seen moving is judged by this client's own clock.
                await Task.Delay(_options.SuspectTimeout / 3, _options.TimeProvider, cancellationToken);
                readStartedAt = _options.TimeProvider.GetTimestamp();
                view = _ages.ViewOf(await table.ReadAllAsync(cancellationToken), readStartedAt);
            }

            if (_grainTypes.Count == 0)
            {
                _grainTypes = (await FetchManifestAsync(view.Silos.Select(s => new Uri(s.Endpoint)), cancellationToken)).GrainTypes;
            }

            Volatile.Write(ref _view, view);
            return;
        }

        // Silos in the current view first, then the configured ones (the whole cluster may have restarted).
        var candidates = View.Silos.Select(s => new Uri(s.Endpoint)).Concat(_options.Endpoints).Distinct();
        var manifest = await FetchManifestAsync(candidates, cancellationToken);
        _grainTypes = manifest.GrainTypes;
        Volatile.Write(ref _view, MembershipView.Of(manifest.Silos, _options.TimeProvider.GetUtcNow()));
    }

    private async Task<ClusterManifest> FetchManifestAsync(IEnumerable<Uri> endpoints, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        foreach (var endpoint in endpoints)
        {
            try
            {
                return await _sender.FetchManifestAsync(endpoint, cancellationToken);
            }
            catch (SiloUnavailableException unreachable)
            {
                failures.Add(unreachable.Message);
            }
        }

        throw new SiloUnavailableException("No silo answered: " + (failures.Count == 0 ? "none is in view." : string.Join(" ", failures)));
    }

    private static ProxyInfo Build(Type grainInterface) =>
        new(grainInterface.FullName!, GrainProxies.ProxyTypeOf(grainInterface)!, GrainProxies.Constructor(grainInterface));

    private sealed record ProxyInfo(string Interface, Type ProxyType, Func<IGrainCallInvoker, GrainId, GrainCallOptions, IGrain> Create);
}
