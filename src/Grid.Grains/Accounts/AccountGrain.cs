using Grid.Contracts.Accounts;
using Grid.Contracts.Payments;
using Grid.Grains.Ledger;
using Grid.Ledger.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Ledger.Holds;
using Grid.Ledger.Journal;
using Grid.Ledger.Persistence;
using Grid.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grid.Grains.Accounts;

/// <summary>
/// An account's ledger with group commit. Reentrant: each command is validated and applied to the
/// in-memory ledger synchronously (no await between check and apply), then waits until its entry is
/// durable. Entries applied while a write is in flight go into the next write. A failed write resets
/// the account (reloaded from the store on next use) and fails every waiting command as retryable, so
/// nothing un-durable is ever acknowledged. Reads answer from the last durable snapshot only.
/// </summary>
[Reentrant]
public sealed class AccountGrain(
    ILedgerStore store, JournalWriter writer, IOptions<LedgerOptions> options, ILogger<AccountGrain> logger)
    : Grain, IAccountGrain, IRemindable
{
    public const string ExpiryReminder = "hold-expiry";
    public const int MaxJournalPage = 1_000;

    /// <summary>How late after a hold's expiry its reminder may fire before the reminder is moved.</summary>
    private static readonly TimeSpan ReminderSlack = TimeSpan.FromSeconds(1);

    /// <summary>Loads a read waits through when resets keep undoing them (each reset fails a write: the store is in trouble).</summary>
    private const int MaxLoadAttempts = 3;

    private readonly LedgerOptions _options = options.Value;
    private readonly List<JournalEntry> _unwritten = [];
    private readonly UnwrittenRecords _unwrittenRecords = new(); // go into the same write as the entries
    private readonly List<AutoReloadRequested> _reloadSignals = []; // published once their entries are durable
    private readonly SemaphoreSlim _reminderLock = new(1, 1);
    private AccountLedger? _ledger;
    private Task<AccountLedger>? _loading;
    private AccountSnapshot? _durable;
    private Task _writing = Task.CompletedTask;
    private TaskCompletionSource? _inFlight;
    private long _inFlightUpTo;
    private TaskCompletionSource? _next;
    private DateTimeOffset? _reminderDue;
    private long _reminderRemovals;
    private OperationLookup? _lookupBatcher;

    private string AccountId => GrainId.Key;

    /// <summary>Operation ids older than the idempotency window, looked up in the journal in batches.</summary>
    private OperationLookup Lookups => _lookupBatcher ??= new OperationLookup(
        ids => Guard(store.FindOperationsAsync(AccountId, ids, CancellationToken.None)));

    private TimeProvider Time => Context.TimeProvider;

    public Task<LedgerResult> Execute(LedgerCommand command) => ExecuteAsync(command, null, null);

    public Task<LedgerResult> ExecuteRecording(LedgerCommand command, ProcessedEvent processedEvent)
    {
        ArgumentNullException.ThrowIfNull(processedEvent);
        processedEvent.Validate();
        return ExecuteAsync(command, processedEvent, null);
    }

    public Task<LedgerResult> ExecuteSettling(LedgerCommand command, SettlementRecords records)
    {
        ArgumentNullException.ThrowIfNull(records);
        records.Validate();
        if (records.Cast is { } cast && cast.AccountId != AccountId || records.Usage is { } usage && usage.AccountId != AccountId)
        {
            throw LedgerException.Invalid("accountId", $"Records settled by account {AccountId} must be that account's.");
        }

        return ExecuteAsync(command, null, records);
    }

    private async Task<LedgerResult> ExecuteAsync(LedgerCommand command, ProcessedEvent? processedEvent, SettlementRecords? settlement)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Validate(); // refuse malformed input before touching the store
        var ledger = await LoadedAsync();
        DateTimeOffset? holdExpiry = command is PlaceHold { ExpiresIn: { } expiresIn } ? AccountLedger.Truncate(Time.GetUtcNow() + expiresIn) : null;
        long? coveredAt = null; // _reminderRemovals when the reminder was last known to cover the hold
        var absent = new HashSet<string>(StringComparer.Ordinal);
        ledger.BeginLookups();
        while (true)
        {
            if (holdExpiry is { } expiresAt && ledger.IsOpen && coveredAt != _reminderRemovals)
            {
                // The reminder is stored before the hold exists, so no durable hold is ever without one.
                coveredAt = await EnsureExpiryReminderAsync(expiresAt);
                ledger = await LoadedAsync();
            }

            // Other commands run while this one awaits: an id the window knew may leave it, a hold may expire.
            // So the ledger is asked again after every look-up, and nothing is awaited between its last answer
            // and Execute. Ids the journal did not have are new, unless a concurrent command with the same id was
            // written meanwhile: the window knows it then, and the ledger names it again.
            while (ledger.UnknownIds(command, absent) is { Count: > 0 } unknown)
            {
                // A round answers every command that joined it: this one recalls only its own ids, so the window's
                // recalled entries grow by at most two per command and one release never strands a whole round.
                var found = (await Lookups.FindAsync(unknown)).Where(e => unknown.Contains(e.OperationId)).ToList();
                ledger = await LoadedAsync();
                RememberLookedUp(ledger, found);
                absent.UnionWith(unknown.Where(id => !found.Any(e => e.OperationId == id)));
            }

            // A removal of the reminder that began after it was found to cover this hold (the last expiry went while
            // this command awaited) would leave the hold without one: make sure of it again.
            if (holdExpiry is null || !ledger.IsOpen || coveredAt == _reminderRemovals)
            {
                break;
            }
        }

        var now = Time.GetUtcNow();
        var expiredUpTo = 0L;
        LedgerOutcome outcome;
        try
        {
            expiredUpTo = ExpireDue(ledger, now);
            outcome = ledger.Execute(command, now);
        }
        catch (LedgerInvariantException broken)
        {
            logger.LogCritical(broken, "Account {AccountId} reset after an invariant failure", AccountId);
            Reset(broken);
            throw;
        }
        catch (LedgerException)
        {
            if (expiredUpTo > 0)
            {
                // The command was refused, but the expiries it found are real: write them anyway.
                _ = DurableAsync(ledger, expiredUpTo).ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            }

            if (ledger.Sequence > ledger.DurableSequence)
            {
                // A refusal is decided from the state in memory, whose latest entries may still be on their way to the store,
                // and callers take many refusals as final (hold_closed ends a cast, account_closed sends a payout elsewhere
                // and a card event to review, idempotency_conflict names a taken id): answer once those entries are there,
                // so no answer rests on an entry that is not durable (if they never get there, unavailable instead).
                await DurableAsync(ledger, ledger.Sequence);
            }

            throw;
        }

        if (!outcome.Replayed)
        {
            _unwritten.Add(outcome.Entry);
            _unwrittenRecords.Add(processedEvent, settlement);
            if (outcome.AutoReloadWanted)
            {
                _reloadSignals.Add(new AutoReloadRequested(AccountId, outcome.Entry.AvailableAfter, ledger.AutoReloadThreshold!.Value, outcome.Entry.Sequence));
            }
        }

        // A replay's entry is durable already, but expiries it found are not: they are written now, not at the next command.
        await DurableAsync(ledger, Math.Max(outcome.Entry.Sequence, expiredUpTo));
        return new LedgerResult(outcome.Entry, outcome.Replayed);
    }

    /// <summary>
    /// Entries found in the journal. One past what this activation made durable and not its own means another activation
    /// wrote to the account since this one loaded (or a write it was told failed went through): this one is stale, so it
    /// reloads, and the caller retries against what the store holds.
    /// </summary>
    private void RememberLookedUp(AccountLedger ledger, IReadOnlyList<JournalEntry> found)
    {
        try
        {
            ledger.Remember(found);
        }
        catch (LedgerInvariantException stale)
        {
            logger.LogWarning("Account {AccountId} reloads: {Reason}", AccountId, stale.Message);
            if (ReferenceEquals(_ledger, ledger))
            {
                Reset(stale);
            }

            throw LedgerException.Unavailable($"Account {AccountId} changed in the store since it was loaded here; it reloads. Retry with the same operation id.");
        }
    }

    /// <summary>A graceful stop lets the write in flight finish, so its callers get their answers.</summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        while (_inFlight is { } inFlight)
        {
            await inFlight.Task.ContinueWith(static _ => { }, TaskScheduler.Current).WaitAsync(cancellationToken);
        }
    }

    public async Task<AccountView?> Get() => await LoadedDurableAsync() is { } snapshot ? AccountView.From(snapshot) : null;

    public async Task<Balance> GetBalance() => (await DurableSnapshotAsync()).Balance;

    public async Task<IReadOnlyList<HoldView>> GetHolds() =>
        (await DurableSnapshotAsync()).OpenHolds.Select(HoldView.From).ToArray();

    public async Task<JournalPage> GetJournal(long afterSequence, int limit)
    {
        if (afterSequence < 0)
        {
            throw LedgerException.Invalid("after", "after must be 0 or more.");
        }

        if (limit is < 1 or > MaxJournalPage)
        {
            throw LedgerException.Invalid("limit", $"limit must be from 1 to {MaxJournalPage}.");
        }

        await DurableSnapshotAsync();
        // The store holds only durable entries, so a page never shows what is still being written.
        var entries = await Guard(store.ReadJournalAsync(AccountId, afterSequence, limit, CancellationToken.None));
        return new JournalPage(entries, entries.Count == limit ? entries[^1].Sequence : null);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ExpiryReminder)
        {
            return;
        }

        var ledger = await LoadedAsync();
        ExpireDue(ledger, Time.GetUtcNow());
        await DurableAsync(ledger, ledger.Sequence);

        await _reminderLock.WaitAsync();
        try
        {
            // Asked of the ledger as loaded now: one reset meanwhile (null) must not read as "nothing left to expire".
            if ((await LoadedAsync()).NextExpiry is not { } next)
            {
                // Counted before the removal is awaited: a hold placed meanwhile that counted on this reminder sees the
                // count move and registers it again (it waits for this lock, so after the removal).
                _reminderDue = null;
                _reminderRemovals++;
                await Guard(Context.UnregisterReminderAsync(ExpiryReminder));
            }
            else if (NextFireAfter(Time.GetUtcNow()) - next > ReminderSlack)
            {
                // The periodic tick would come too late (or wake the account every period until a far-off expiry): move it.
                await RegisterReminderAsync(next);
            }
        }
        finally
        {
            _reminderLock.Release();
        }
    }

    /// <summary>Applies due expiries to the ledger; returns the last new sequence (0: none).</summary>
    private long ExpireDue(AccountLedger ledger, DateTimeOffset now)
    {
        if (ledger.NextExpiry is not { } next || next > now)
        {
            return 0;
        }

        var expired = ledger.ExpireDue(now);
        _unwritten.AddRange(expired);
        return expired.Count > 0 ? expired[^1].Sequence : 0;
    }

    /// <summary>
    /// Makes sure a stored reminder fires by <paramref name="expiresAt"/> (within a period). Returns the count of reminder
    /// removals begun at the moment it was sure, for the caller to see whether a removal began since.
    /// </summary>
    private async Task<long> EnsureExpiryReminderAsync(DateTimeOffset expiresAt)
    {
        if (ReminderCovers(expiresAt))
        {
            return _reminderRemovals; // the common case: no store write, no lock
        }

        await _reminderLock.WaitAsync();
        try
        {
            var ledger = await LoadedAsync();
            if (!ReminderCovers(expiresAt))
            {
                await RegisterReminderAsync(ledger.NextExpiry is { } next && next < expiresAt ? next : expiresAt);
            }

            return _reminderRemovals; // removals happen only under this lock
        }
        finally
        {
            _reminderLock.Release();
        }
    }

    /// <summary>
    /// Whether the registered reminder fires within one period after <paramref name="expiresAt"/>. Once due,
    /// the reminder fires every period, so most holds need no store write of their own; an idle account's
    /// expired hold is released at most one period late (a capture or void after the expiry is refused at once).
    /// </summary>
    private bool ReminderCovers(DateTimeOffset expiresAt)
    {
        if (_reminderDue is not { } due)
        {
            return false;
        }

        return NextFireAfter(Time.GetUtcNow()) <= expiresAt + _options.ExpiryRetryPeriod;
    }

    /// <summary>When the registered reminder fires next after <paramref name="now"/> (it repeats every period once due).</summary>
    private DateTimeOffset NextFireAfter(DateTimeOffset now)
    {
        if (_reminderDue is not { } due)
        {
            return DateTimeOffset.MaxValue;
        }

        var period = _options.ExpiryRetryPeriod;
        return due > now ? due : due + (period * (Math.Floor((now - due) / period) + 1));
    }

    private async Task RegisterReminderAsync(DateTimeOffset due)
    {
        var dueIn = due - Time.GetUtcNow();
        await Guard(Context.RegisterOrUpdateReminderAsync(
            ExpiryReminder, dueIn > TimeSpan.Zero ? dueIn : TimeSpan.Zero, _options.ExpiryRetryPeriod));
        _reminderDue = due;
    }

    /// <summary>Waits until the entry at <paramref name="sequence"/> is durable, starting a write if none is running.</summary>
    private Task DurableAsync(AccountLedger ledger, long sequence)
    {
        if (sequence <= ledger.DurableSequence)
        {
            return Task.CompletedTask; // a replay of something already written
        }

        if (_inFlight is { } inFlight && sequence <= _inFlightUpTo)
        {
            return inFlight.Task;
        }

        var next = _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_inFlight is null)
        {
            StartWrite(ledger);
        }

        return next.Task;
    }

    private void StartWrite(AccountLedger ledger)
    {
        var entries = _unwritten.ToArray();
        var snapshot = ledger.ToSnapshot();
        if (entries.Length == 0 || entries[^1].Sequence != snapshot.Sequence || entries[0].Sequence != ledger.DurableSequence + 1)
        {
            // Memory no longer matches what would be written: drop it all (every waiter fails, retryable) and reload,
            // rather than keep an activation whose sequence runs ahead of the store and refuses every later command.
            var broken = new LedgerInvariantException(AccountId, $"unwritten entries do not run from {ledger.DurableSequence + 1} to {snapshot.Sequence}.");
            logger.LogCritical(broken, "Account {AccountId} reset: {Reason}", AccountId, broken.Message);
            Reset(broken);
            throw Unavailable(broken); // nothing was acknowledged, and the reload puts memory right: the caller may retry
        }

        _unwritten.Clear();

        _inFlight = _next;
        _next = null;
        _inFlightUpTo = snapshot.Sequence;
        _writing = WriteAsync(ledger, _unwrittenRecords.TakeInto(new AccountAppend(ledger.DurableSequence, snapshot, entries)), _inFlight!);
    }

    private async Task WriteAsync(AccountLedger ledger, AccountAppend append, TaskCompletionSource done)
    {
        try
        {
            await writer.AppendAsync(append, CancellationToken.None);
        }
        catch (Exception failure)
        {
            logger.LogWarning("Append to account {AccountId} failed; resetting the account: {Reason}", AccountId, failure.Message);
            _inFlight = null;
            if (ReferenceEquals(_ledger, ledger))
            {
                Reset(failure);
            }

            done.TrySetException(Unavailable(failure));
            return;
        }

        _inFlight = null;
        done.TrySetResult(); // the entries are durable whatever happens below
        if (!ReferenceEquals(_ledger, ledger))
        {
            // Reset meanwhile (its auto-reload signals went with it), yet the entries are durable: streams hear of them now,
            // not only at the account's next append.
            Context.Publish(new JournalAppended(AccountId, append.Entries));
            return;
        }

        try
        {
            ledger.MarkDurable(append.Snapshot.Sequence);
            _durable = append.Snapshot;
            Announce(append);
            if (_next is not null)
            {
                StartWrite(ledger);
            }
        }
        catch (Exception broken)
        {
            logger.LogCritical(broken, "Account {AccountId} reset after a failure following a durable append", AccountId);
            Reset(broken);
        }
    }

    /// <summary>Tells subscribers what just became durable (balance streams, auto-reload).</summary>
    private void Announce(AccountAppend append)
    {
        Context.Publish(new JournalAppended(AccountId, append.Entries));
        foreach (var signal in _reloadSignals.Where(s => s.Sequence <= append.Snapshot.Sequence))
        {
            Context.Publish(signal);
            TriggerAutoReload();
        }

        _reloadSignals.RemoveAll(s => s.Sequence <= append.Snapshot.Sequence);
    }

    /// <summary>Not awaited: the auto-reload reads this account's balance, and a write must not wait on a charge.</summary>
    private void TriggerAutoReload()
    {
        var accountId = AccountId;
        try
        {
            _ = GrainFactory.GetGrain<IAutoReloadGrain>(accountId).Trigger().ContinueWith(
                failed => logger.LogWarning("Auto-reload of {AccountId} not triggered: {Reason}", accountId, failed.Exception?.GetBaseException().Message),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted,
                TaskScheduler.Default);
        }
        catch (Exception unavailable)
        {
            // A silo without card payments has no auto-reload grain; the entries are durable all the same.
            logger.LogWarning("Auto-reload of {AccountId} not triggered: {Reason}", accountId, unavailable.Message);
        }
    }

    /// <summary>Forgets everything in memory; waiting commands fail as retryable and the next call reloads.</summary>
    private void Reset(Exception cause)
    {
        _ledger = null;
        _loading = null;
        _durable = null;
        _unwritten.Clear();
        _unwrittenRecords.Clear();
        _reloadSignals.Clear();
        _reminderDue = null;
        var next = _next;
        _next = null;
        next?.TrySetException(Unavailable(cause));
    }

    private async Task<AccountSnapshot> DurableSnapshotAsync() =>
        await LoadedDurableAsync() ?? throw new LedgerException(LedgerErrorCodes.NotFound, $"Account {AccountId} does not exist.", "accountId");

    /// <summary>
    /// The durable snapshot of the ledger as loaded now; null only for an account never opened. A reset between the load
    /// and this turn (other turns run while it waits) would read as no account at all, so the load is waited on again.
    /// </summary>
    private async Task<AccountSnapshot?> LoadedDurableAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var ledger = await LoadedAsync();
            if (ReferenceEquals(_ledger, ledger))
            {
                return _durable;
            }

            if (attempt == MaxLoadAttempts)
            {
                throw LedgerException.Unavailable($"Account {AccountId} was reset {MaxLoadAttempts} times while it loaded; retry.");
            }
        }
    }

    private async Task<AccountLedger> LoadedAsync()
    {
        while (true)
        {
            if (_ledger is { } ledger)
            {
                return ledger;
            }

            var loading = _loading ??= LoadAsync();
            try
            {
                return await loading;
            }
            catch
            {
                if (ReferenceEquals(_loading, loading))
                {
                    _loading = null; // let the next call try again
                }

                throw;
            }
        }
    }

    private async Task<AccountLedger> LoadAsync()
    {
        if (!StorableText.IsStorable(AccountId))
        {
            // The gateway checks ids in its routes; an embedded client reaches the grain by any key. One the store cannot
            // take would fail every read and write as if the store were down (and the appends merged with its own).
            throw LedgerException.Invalid("accountId", "An account id must not contain NUL characters or unpaired UTF-16 surrogates.");
        }

        // A write of a reset ledger may still be in flight; its outcome decides what the store holds.
        await _writing.ContinueWith(static _ => { }, TaskScheduler.Current);
        var snapshot = await Guard(store.LoadAsync(AccountId, CancellationToken.None));
        AccountLedger ledger;
        if (snapshot is null)
        {
            ledger = AccountLedger.CreateNew(AccountId, _options.IdempotencyWindow);
        }
        else
        {
            var latest = await Guard(store.ReadLatestAsync(AccountId, _options.IdempotencyWindow, CancellationToken.None));
            ledger = AccountLedger.Restore(snapshot, latest, _options.IdempotencyWindow);
        }

        _durable = snapshot;
        _ledger = ledger;
        if (ledger.NextExpiry is { } due)
        {
            // Holds with an expiry have a stored reminder; registering it again on load also mends an account whose
            // reminder went missing (an older version could lose it), at one reminder write per load.
            _ = EnsureExpiryReminderAsync(due).ContinueWith(
                failed => logger.LogWarning("Account {AccountId}: hold expiry reminder not registered on load: {Reason}", AccountId, failed.Exception?.GetBaseException().Message),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Current);
        }

        return ledger;
    }

    /// <summary>Any store failure reaches callers as the retryable <c>unavailable</c>.</summary>
    private static async Task<T> Guard<T>(Task<T> operation)
    {
        try
        {
            return await operation;
        }
        catch (Exception failure) when (failure is not LedgerException)
        {
            throw Unavailable(failure);
        }
    }

    private static async Task Guard(Task operation)
    {
        try
        {
            await operation;
        }
        catch (Exception failure) when (failure is not LedgerException)
        {
            throw Unavailable(failure);
        }
    }

    private static LedgerException Unavailable(Exception cause) =>
        LedgerException.Unavailable($"The ledger store did not confirm the write ({cause.GetType().Name}); nothing was acknowledged. Retry with the same operation id.");
}
