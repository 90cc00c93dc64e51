using Grid.Runtime.Hosting;
using Grid.Runtime.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grid.Runtime.Membership;

/// <summary>
/// This silo's membership: joins the table at start, writes a heartbeat every period, reads everyone's rows
/// into a <see cref="MembershipView"/> (who is alive judged by this silo's own clock: <see cref="HeartbeatAges"/>),
/// and says it is gone at a graceful stop. A failed round is logged and retried next period; the silo then drops out
/// of others' views by itself once its heartbeat is stale.
/// </summary>
public sealed partial class MembershipService(
    IMembershipTable table,
    SiloIdentity silo,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    ILogger<MembershipService> logger) : IHostedLifecycleService, ICallRoutes, IDisposable
{
    /// <summary>How old by wall clocks an active row's heartbeat must be at least to be deleted without being watched.</summary>
    private static readonly TimeSpan MinActiveRowAge = TimeSpan.FromDays(1);

    private readonly ClusterOptions _options = options.Value;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _departed = new();
    private readonly SharedRead _refreshes = new();
    private readonly HeartbeatAges _ages = new(time, options.Value.SuspectTimeout);
    private readonly Lock _publishLock = new();
    private MembershipView _view = MembershipView.Empty;
    private long _publishedReadStartedAt = long.MinValue; // guarded by _publishLock
    private PeriodicTimer? _heartbeats;
    private Task? _loop;

    /// <summary>The latest view (every silo's own computation; they agree once heartbeats settle).</summary>
    public MembershipView View => Volatile.Read(ref _view);

    /// <summary>
    /// Fires once this silo has left: the others had their time to read that it is leaving, so nothing should be
    /// routed here any more. Call streams end then, before the web server stops.
    /// </summary>
    public CancellationToken Departed => _departed.Token;

    public MembershipEntry? OwnerOf(GrainId grainId) => View.OwnerOf(grainId);

    /// <summary>
    /// Whether the view in place was read from the table within the suspect timeout. A silo cut off from the table keeps
    /// its last view; handed to a client that asks for the cluster, it would route calls to silos that may be gone.
    /// </summary>
    public bool HasCurrentView
    {
        get
        {
            long readStartedAt;
            lock (_publishLock)
            {
                readStartedAt = _publishedReadStartedAt;
            }

            return readStartedAt != long.MinValue && time.GetElapsedTime(readStartedAt) <= _options.SuspectTimeout;
        }
    }

    /// <summary>Raised on the membership loop when the set of active silos changes.</summary>
    public event EventHandler<MembershipView>? ViewChanged;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _options.Validate();
        await table.UpsertAsync(Row(SiloStatus.Active), cancellationToken);
        await RefreshAsync(cancellationToken);
        LogJoined(logger, silo.Id, _options.Endpoint, View.Silos.Count);
        // Created here, not in the loop, so the first tick is due one period after joining, whatever the thread pool does.
        _heartbeats = new PeriodicTimer(_options.HeartbeatPeriod, time);
        _loop = Task.Run(() => LoopAsync(_heartbeats, _stopping.Token), CancellationToken.None);
    }

    /// <summary>
    /// Leaves gracefully, before the host stops its web server (so calls still arrive and get answers): stops
    /// heartbeating, announces <see cref="SiloStatus.Leaving"/>, drops itself from its own view (its grains
    /// deactivate and calls queued in them move to their new owners; calls that still arrive are answered "not
    /// owner"), and waits two heartbeat periods for the other silos and clients to read the table.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await StopLoopAsync(cancellationToken);
        try
        {
            await table.UpsertAsync(Row(SiloStatus.Leaving), cancellationToken);
            await RefreshOnceAsync(cancellationToken);
            await Task.Delay(2 * _options.HeartbeatPeriod, time, cancellationToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            LogRoundFailed(logger, failure.Message); // others stop seeing this silo once its heartbeat is stale anyway
        }
        finally
        {
            await _departed.CancelAsync();
        }
    }

    /// <summary>Writes the silo dead (after the web server stopped; a silo stopped without StoppingAsync leaves here).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _departed.CancelAsync();
        try
        {
            await StopLoopAsync(cancellationToken);
            await table.UpsertAsync(Row(SiloStatus.Dead), cancellationToken);
            LogLeft(logger, silo.Id);
        }
        catch (Exception failure)
        {
            // Out of time to stop (the host's shutdown timeout), or the table out of reach: the others drop this silo once
            // its heartbeat is stale, as they would a crashed one; the rest of the stop goes on.
            LogRoundFailed(logger, failure.Message);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task StopLoopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_loop is { } loop)
        {
            await loop.WaitAsync(cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    public void Dispose()
    {
        _departed.Dispose();
        _heartbeats?.Dispose();
        _stopping.Dispose();
    }

    private MembershipEntry Row(SiloStatus status)
    {
        var now = time.GetUtcNow();
        return new MembershipEntry(silo.Id, silo.Name, _options.Endpoint ?? string.Empty, silo.StartedAt, now, status);
    }

    private async Task LoopAsync(PeriodicTimer heartbeats, CancellationToken cancellationToken)
    {
        var rounds = 0L;
        var lastBeat = time.GetTimestamp();
        var mustShed = false; // kept until a shed succeeds: a failed one is done again, not forgotten
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // A round that overran its period is followed by one round at once, not a burst of catch-up rounds.
                if (!await heartbeats.WaitForNextTickAsync(cancellationToken))
                {
                    return;
                }

                var beatStartedAt = time.GetTimestamp();
                var rejoined = !await table.HeartbeatAsync(silo.Id, time.GetUtcNow(), cancellationToken);
                if (rejoined)
                {
                    mustShed = true;
                    LogRejoining(logger, silo.Id);
                    await table.UpsertAsync(Row(SiloStatus.Active), cancellationToken);
                }

                // How long the others may have seen no heartbeat from this silo: from when the last one was sent (it
                // may have landed as early as that) to now, when this one has landed. Never less than they could see.
                var silent = time.GetElapsedTime(lastBeat);
                lastBeat = beatStartedAt;
                mustShed |= silent > _options.SuspectTimeout;
                if (mustShed)
                {
                    await ShedAsync(silent, cancellationToken);
                    mustShed = false;
                }
                else
                {
                    await RefreshAsync(cancellationToken);
                }

                if (++rounds % 60 == 0)
                {
                    await RemoveDepartedAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure)
            {
                LogRoundFailed(logger, failure.Message);
            }
        }
    }

    /// <summary>
    /// Keeps the table bounded: rows of silos that left go by their heartbeat's age, and active rows once this silo has
    /// watched their heartbeat stand still for the retention. Wall clocks differ; a live silo whose clock runs behind this
    /// one's by more than the retention would otherwise lose its row at every pass and join again. Active rows also go
    /// by age once a day old at least: where every silo restarts within the retention, none watches a crashed one's
    /// row that long.
    /// </summary>
    private async Task RemoveDepartedAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var activeAge = _options.DepartedRetention > MinActiveRowAge ? _options.DepartedRetention : MinActiveRowAge;
        await table.RemoveDepartedAsync(now - _options.DepartedRetention, now - activeAge, cancellationToken);
        foreach (var (siloId, heartbeatAt) in _ages.SilentFor(_options.DepartedRetention))
        {
            if (siloId != silo.Id)
            {
                await table.RemoveSilentAsync(siloId, heartbeatAt, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Reads the table now (a caller was told it called a silo that does not own the grain). Concurrent
    /// requests share one read, so a burst of misdirected calls costs the database one query.
    /// </summary>
    public Task RefreshAsync(CancellationToken cancellationToken) =>
        _refreshes.RunAsync(() => RefreshOnceAsync(_stopping.Token), cancellationToken);

    private async Task RefreshOnceAsync(CancellationToken cancellationToken)
    {
        var readStartedAt = time.GetTimestamp();
        Publish(_ages.ViewOf(await table.ReadAllAsync(cancellationToken), readStartedAt), readStartedAt);
    }

    /// <summary>
    /// This silo was silent long enough for the others to drop it (a stall, a lost database): they may have served its
    /// grains and changed their state meanwhile. Its activations may be stale, so from one read of the table it first
    /// takes the view without itself (every activation goes) and then the view itself, in which it owns grains again, to
    /// be read afresh from the store.
    /// </summary>
    private async Task ShedAsync(TimeSpan silent, CancellationToken cancellationToken)
    {
        LogShedding(logger, silo.Id, silent.TotalSeconds);
        var readStartedAt = time.GetTimestamp();
        var rows = await table.ReadAllAsync(cancellationToken);
        Publish(_ages.ViewOf(rows.Where(row => row.SiloId != silo.Id), readStartedAt), readStartedAt);
        Publish(_ages.ViewOf(rows, readStartedAt), readStartedAt);
    }

    private void Publish(MembershipView next, long readStartedAt)
    {
        MembershipView previous;
        lock (_publishLock)
        {
            // A read sent before the one published already is older news: it could bring back a silo the newer one dropped.
            if (readStartedAt < _publishedReadStartedAt)
            {
                return;
            }

            _publishedReadStartedAt = readStartedAt;
            previous = Interlocked.Exchange(ref _view, next);
        }

        if (!previous.SameSilos(next))
        {
            LogViewChanged(logger, next.Silos.Count, string.Join(", ", next.Silos.Select(s => s.Name)));
            ViewChanged?.Invoke(this, next);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {SiloId} joined the cluster at {Endpoint}; {Count} silo(s) in view")]
    private static partial void LogJoined(ILogger logger, string siloId, string? endpoint, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {SiloId} left the cluster")]
    private static partial void LogLeft(ILogger logger, string siloId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {SiloId} found its membership row gone or inactive; joining again")]
    private static partial void LogRejoining(ILogger logger, string siloId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {SiloId} was silent for {Seconds:0.0} s, long enough to be dropped; its activations go and are read afresh")]
    private static partial void LogShedding(ILogger logger, string siloId, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Membership round failed: {Reason}")]
    private static partial void LogRoundFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster view changed: {Count} silo(s): {Silos}")]
    private static partial void LogViewChanged(ILogger logger, int count, string silos);
}
