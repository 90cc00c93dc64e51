using Grid.Runtime.Core;
using Microsoft.Extensions.Logging;

namespace Grid.Runtime.Reminders;

/// <summary>
/// Keeps this silo's reminders: loaded from the table at start, written through on every change, and
/// fired with one <see cref="TimeProvider"/> timer armed for the earliest due time. A tick calls
/// <see cref="IRemindable.ReceiveReminder"/>, activating the grain if needed. Missed ticks (silo down)
/// fire once at start, as the latest of them; the schedule then continues on the period's grid.
/// </summary>
/// <param name="refreshPeriod">How often to read the table again (clustered silos); null: never.</param>
internal sealed class ReminderService(GrainRuntime runtime, IReminderTable? table, TimeProvider time, ILogger logger, TimeSpan? refreshPeriod) : IDisposable
{
    private const int MaxNameLength = 200;

    /// <summary>The longest the timer is armed for at once (see <see cref="ArmLocked"/>).</summary>
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromDays(7);

    private readonly Lock _lock = new();
    private readonly Dictionary<(GrainId, string), Scheduled> _reminders = [];
    private readonly PriorityQueue<Scheduled, DateTimeOffset> _queue = new();

    // When reminders were unregistered here, kept only where refreshes run and only until a refresh reads after them.
    private readonly Dictionary<(GrainId, string), DateTimeOffset> _unregisteredAt = [];
    private ITimer? _timer;
    private ITimer? _refresher;
    private int _refreshing;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (table is null)
        {
            return;
        }

        var entries = await table.ReadAllAsync(cancellationToken);
        lock (_lock)
        {
            _timer = time.CreateTimer(static s => ((ReminderService)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            foreach (var entry in entries)
            {
                AddLocked(entry);
            }

            ArmLocked();
            if (refreshPeriod is { } period)
            {
                _refresher = time.CreateTimer(static s => _ = ((ReminderService)s!).RefreshOnTimerAsync(), this, period, period);
            }
        }

        logger.LogInformation("Loaded {Count} reminders", entries.Count);
    }

    /// <summary>One refresh at a time: a read slower than the period must not be applied after a newer one.</summary>
    private async Task RefreshOnTimerAsync()
    {
        if (Interlocked.Exchange(ref _refreshing, 1) == 1)
        {
            return;
        }

        try
        {
            await RefreshAsync(CancellationToken.None);
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    /// <summary>
    /// Reads the table again (clustered silos, every refresh period): reminders other silos registered become
    /// known here, so when their owner dies the silo that owns the grain next fires them; deleted ones are dropped.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (table is null)
        {
            return;
        }

        try
        {
            var readFrom = time.GetUtcNow();
            var entries = await table.ReadAllAsync(cancellationToken);
            lock (_lock)
            {
                if (_timer is null)
                {
                    return; // disposed meanwhile
                }

                var stored = new HashSet<(GrainId, string)>();
                foreach (var entry in entries)
                {
                    var key = (entry.GrainId, entry.Name);
                    stored.Add(key);
                    var known = _reminders.GetValueOrDefault(key);
                    // Changed here after the read began (unregistered, or registered anew): the read is the older news.
                    var changedSince = known is null
                        ? _unregisteredAt.TryGetValue(key, out var removedAt) && removedAt >= readFrom
                        : known.AddedAt >= readFrom;
                    if (!changedSince && (known is null || !SameSchedule(known.Entry, entry)))
                    {
                        AddLocked(entry);
                    }
                }

                // Unregistrations older than this read are in it (the row was gone): no need to remember them any longer.
                foreach (var key in _unregisteredAt.Where(r => r.Value < readFrom).Select(r => r.Key).ToList())
                {
                    _unregisteredAt.Remove(key);
                }

                // Registered here after the read began: the table has it, the read did not.
                foreach (var key in _reminders.Where(r => !stored.Contains(r.Key) && r.Value.AddedAt < readFrom).Select(r => r.Key).ToList())
                {
                    _reminders.Remove(key, out var gone);
                    gone!.Removed = true;
                }

                ArmLocked();
            }
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            logger.LogWarning("Reading the reminder table failed ({Reason}); the next refresh tries again", failure.Message);
        }
    }

    public async Task RegisterOrUpdateAsync(GrainId grainId, string name, TimeSpan dueTime, TimeSpan period, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(name.Length, MaxNameLength, nameof(name));
        ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dueTime, ReminderLimits.MaxSchedule);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(period, ReminderLimits.MaxSchedule);
        var store = RequireTable();
        var entry = new ReminderEntry(grainId, name, time.GetUtcNow() + dueTime, period);
        await store.UpsertAsync(entry, cancellationToken); // durable before it is scheduled
        lock (_lock)
        {
            AddLocked(entry);
            ArmLocked();
        }
    }

    public async Task UnregisterAsync(GrainId grainId, string name, CancellationToken cancellationToken)
    {
        await RequireTable().DeleteAsync(grainId, name, cancellationToken);
        lock (_lock)
        {
            if (_reminders.Remove((grainId, name), out var scheduled))
            {
                scheduled.Removed = true;
            }

            if (_refresher is not null)
            {
                // A refresh whose read began before the delete must not bring the reminder back.
                _unregisteredAt[(grainId, name)] = time.GetUtcNow();
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
            _refresher?.Dispose();
            _refresher = null;
        }
    }

    private IReminderTable RequireTable() =>
        table ?? throw new InvalidOperationException("Reminders need a reminder table; none is configured.");

    private void AddLocked(ReminderEntry entry)
    {
        if (_reminders.Remove((entry.GrainId, entry.Name), out var old))
        {
            old.Removed = true; // left in the queue and skipped when it surfaces
        }

        var now = time.GetUtcNow();
        var scheduled = new Scheduled(entry) { AddedAt = now };
        _reminders[(entry.GrainId, entry.Name)] = scheduled;
        if (TryDue(() => LastDueBy(entry, now), entry) is { } due)
        {
            scheduled.NextDue = due;
            _queue.Enqueue(scheduled, due);
        }
    }

    /// <summary>
    /// A due time, or null (logged) when the schedule has none a date can hold: thrown on the timer's thread it would end
    /// the process, and again on every silo that loads the row. Such a reminder stays known here, never queued, so a
    /// refresh that reads it again does not take it for new and fire it at once.
    /// </summary>
    private DateTimeOffset? TryDue(Func<DateTimeOffset> compute, ReminderEntry entry)
    {
        try
        {
            return compute();
        }
        catch (Exception beyond) when (beyond is OverflowException or ArgumentOutOfRangeException)
        {
            logger.LogError(
                "Reminder {Name} of {GrainId} (from {StartAt:O}, every {Period}) has no next due time a date can hold; it fires no more",
                entry.Name, entry.GrainId, entry.StartAt, entry.Period);
            return null;
        }
    }

    private void ArmLocked()
    {
        while (_queue.TryPeek(out var head, out _) && head.Removed)
        {
            _queue.Dequeue();
        }

        if (_timer is null || !_queue.TryPeek(out _, out var due))
        {
            return;
        }

        // Timers refuse delays past about 49.7 days, and a reminder may be due a year ahead: a later one is woken for at
        // the bound, finds nothing due and arms again.
        var delay = due - time.GetUtcNow();
        _timer.Change(delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxTimerDelay ? MaxTimerDelay : delay, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        var fired = new List<(ReminderEntry Entry, DateTimeOffset Due)>();
        lock (_lock)
        {
            var now = time.GetUtcNow();
            while (_queue.TryPeek(out var scheduled, out var due) && due <= now)
            {
                _queue.Dequeue();
                if (scheduled.Removed)
                {
                    continue;
                }

                fired.Add((scheduled.Entry, due));
                var period = scheduled.Entry.Period;
                var missed = (now - due).Ticks / period.Ticks;
                if (TryDue(() => due + TimeSpan.FromTicks(checked(period.Ticks * (missed + 1))), scheduled.Entry) is { } next)
                {
                    scheduled.NextDue = next;
                    _queue.Enqueue(scheduled, next);
                }
            }

            ArmLocked();
        }

        foreach (var (entry, due) in fired)
        {
            Fire(entry, due);
        }
    }

    /// <summary>
    /// When a reminder is next due as it is loaded: its start, or, a start long past (ticks missed while no silo ran
    /// it), the latest tick of its schedule, so the one catch-up tick carries that tick's time, not the first one's.
    /// </summary>
    private static DateTimeOffset LastDueBy(ReminderEntry entry, DateTimeOffset now)
    {
        if (entry.StartAt >= now)
        {
            return entry.StartAt;
        }

        var periods = (now - entry.StartAt).Ticks / entry.Period.Ticks;
        return entry.StartAt + TimeSpan.FromTicks(checked(entry.Period.Ticks * periods));
    }

    // The table keeps whole milliseconds; a schedule known here with finer times is the same schedule.
    private static bool SameSchedule(ReminderEntry known, ReminderEntry stored) =>
        known.StartAt.ToUnixTimeMilliseconds() == stored.StartAt.ToUnixTimeMilliseconds()
        && (long)known.Period.TotalMilliseconds == (long)stored.Period.TotalMilliseconds;

    private void Fire(ReminderEntry entry, DateTimeOffset due)
    {
        if (!runtime.OwnsHere(entry.GrainId))
        {
            return; // the owning silo fires it; every silo keeps the schedule to take over when owners move
        }

        var status = new TickStatus(entry.StartAt, entry.Period, due);
        var call = new ReminderInvokable(entry.Name, status);
        runtime.Send(entry.GrainId, call, timeout: null);
        call.GetResultAsync().ContinueWith(
            t => logger.LogWarning(t.Exception!.InnerException, "Reminder {Name} of {GrainId} failed; it fires again next period", entry.Name, entry.GrainId),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private sealed class Scheduled(ReminderEntry entry)
    {
        public ReminderEntry Entry { get; } = entry;

        /// <summary>When it is next due; <see cref="DateTimeOffset.MaxValue"/> (never queued) when its schedule has no next time.</summary>
        public DateTimeOffset NextDue { get; set; } = DateTimeOffset.MaxValue;

        public bool Removed { get; set; }

        public DateTimeOffset AddedAt { get; init; }
    }

    private sealed class ReminderInvokable(string name, TickStatus status) : GrainInvokable<VoidResult>
    {
        public override string InterfaceName => "Grid.Runtime.IRemindable";

        public override string MethodName => nameof(IRemindable.ReceiveReminder);

        public override ValueTask<VoidResult> InvokeAsync(object grain) =>
            grain is IRemindable remindable
                ? ToResult(remindable.ReceiveReminder(name, status))
                : throw new InvalidOperationException($"{grain.GetType()} has reminders but does not implement IRemindable.");
    }
}
