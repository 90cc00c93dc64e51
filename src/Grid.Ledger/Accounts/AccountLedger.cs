using Grid.Ledger.Commands;
using Grid.Ledger.Credits;
using Grid.Ledger.Errors;
using Grid.Ledger.Holds;
using Grid.Ledger.Idempotency;
using Grid.Ledger.Journal;

namespace Grid.Ledger.Accounts;

/// <summary>
/// One account's ledger in memory: validates a command, applies it and returns its journal entry, all
/// synchronously, or throws <see cref="LedgerException"/> having changed nothing. Invariants are checked
/// after every entry. Not thread-safe: its owner (the account grain) runs one command at a time.
/// </summary>
public sealed class AccountLedger
{
    private readonly Dictionary<string, Hold> _openHolds = new(StringComparer.Ordinal);
    private readonly IdempotencyWindow _window;
    private string? _name;
    private AccountStatus _status;
    private bool _guest;
    private AccountSettings _settings = AccountSettings.Default;
    private long _available;
    private long _held;
    private bool _inDebt;
    private long _debtFloor; // in debt: where available must be back to (see DebtFloor); 0 otherwise
    private long _deposited, _reversed, _debited, _captured, _refunded, _adjusted;
    private DateTimeOffset _createdAt;
    private DateTimeOffset _updatedAt;

    private AccountLedger(string accountId, int windowCapacity)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        AccountId = accountId;
        _window = new IdempotencyWindow(windowCapacity);
    }

    public string AccountId { get; }

    /// <summary>The last entry's sequence (0: never opened).</summary>
    public long Sequence { get; private set; }

    /// <summary>The last sequence the store confirmed.</summary>
    public long DurableSequence { get; private set; }

    public bool IsOpen => Sequence > 0;

    public Balance Balance => new(_available, _held, Sequence);

    public AccountStatus Status => _status;

    /// <summary>A rail (reversal, forced hold) took available below zero; debits and ordinary holds wait until it is back.</summary>
    public bool InDebt => _inDebt;

    /// <summary>
    /// While <see cref="InDebt"/>: where available stood before the rail's first entry took it below zero, or zero if
    /// it stood higher. The debt clears once available is back there: an account already using its overdraft owes
    /// what the rail took, not the overdraft it was granted too (a won dispute's release returns it to where it was).
    /// </summary>
    public long DebtFloor => _debtFloor;

    public long? AutoReloadThreshold => _settings.AutoReloadThreshold;

    /// <summary>The earliest expiry among open holds.</summary>
    public DateTimeOffset? NextExpiry => _openHolds.Values.Min(h => h.ExpiresAt);

    /// <summary>An account that was never opened.</summary>
    public static AccountLedger CreateNew(string accountId, int windowCapacity) => new(accountId, windowCapacity);

    /// <summary>
    /// The account as stored: its snapshot plus its latest entries (any order) for the idempotency window.
    /// </summary>
    public static AccountLedger Restore(AccountSnapshot snapshot, IEnumerable<JournalEntry> latest, int windowCapacity)
    {
        var ledger = new AccountLedger(snapshot.AccountId, windowCapacity)
        {
            _name = snapshot.Name,
            _status = snapshot.Status,
            _guest = snapshot.Guest,
            _settings = snapshot.Settings,
            _available = snapshot.Available,
            _held = snapshot.Held,
            _inDebt = snapshot.InDebt,
            _debtFloor = snapshot.DebtFloor, // 0 in snapshots stored before debts had floors: they cleared at zero
            _deposited = snapshot.Totals.Deposited,
            _reversed = snapshot.Totals.Reversed,
            _debited = snapshot.Totals.Debited,
            _captured = snapshot.Totals.Captured,
            _refunded = snapshot.Totals.Refunded,
            _adjusted = snapshot.Totals.Adjusted,
            _createdAt = snapshot.CreatedAt,
            _updatedAt = snapshot.UpdatedAt,
            Sequence = snapshot.Sequence,
            DurableSequence = snapshot.Sequence,
        };
        foreach (var hold in snapshot.OpenHolds)
        {
            ledger._openHolds.Add(hold.Id, hold);
        }

        var remembered = 0;
        foreach (var entry in latest.Where(e => e.Sequence <= snapshot.Sequence).OrderBy(e => e.Sequence))
        {
            ledger._window.Add(entry, ledger.DurableSequence);
            remembered++;
        }

        if (remembered < snapshot.Sequence)
        {
            ledger._window.MarkIncomplete();
        }

        ledger._window.MarkDurable(ledger.DurableSequence);

        ledger.CheckInvariants(null);
        return ledger;
    }

    /// <summary>
    /// Once per command, before its ids are first checked (<see cref="UnknownIds"/>): lets go of entries earlier
    /// look-ups recalled once there are more than the window holds, so retries of old ids alone stay bounded. Never
    /// between a command's look-up and its execution, so a command's own recalls are never let go before it runs.
    /// </summary>
    public void BeginLookups() => _window.BeforeLookups();

    /// <summary>
    /// Ids this command names that the ledger cannot answer for from memory: used ids whose durable entries the
    /// idempotency window keeps only as fingerprints, and ids that may be in the journal beyond the window. The
    /// owner looks them up and hands what it finds to <see cref="Remember"/>, with no await between that and
    /// <see cref="Execute"/>.
    /// </summary>
    /// <param name="absentFromJournal">
    /// Ids an earlier look-up did not find. They are new, unless the window has learned them since: a concurrent
    /// command with the same id was written meanwhile, and only the journal has its entry once it is durable.
    /// </param>
    public IReadOnlyList<string> UnknownIds(LedgerCommand command, IReadOnlySet<string>? absentFromJournal = null)
    {
        if (command is OpenAccount)
        {
            return [];
        }

        var unknown = new List<string>(2);
        if (_window.NeedsLookup(command.OperationId)
            && (absentFromJournal is null || !absentFromJournal.Contains(command.OperationId) || _window.Knows(command.OperationId, out _)))
        {
            unknown.Add(command.OperationId);
        }

        var holdId = command switch
        {
            CaptureHold capture => capture.HoldId,
            VoidHold @void => @void.HoldId,
            _ => null,
        };
        if (holdId is not null && !_window.IsComplete && !_openHolds.ContainsKey(holdId) && !_window.Knows(holdId, out _)
            && holdId != command.OperationId && absentFromJournal?.Contains(holdId) != true)
        {
            unknown.Add(holdId);
        }

        return unknown;
    }

    /// <summary>Entries looked up in the journal (durable by definition).</summary>
    public void Remember(IEnumerable<JournalEntry> entries)
    {
        foreach (var entry in entries)
        {
            if (entry.Sequence > DurableSequence)
            {
                // Committed, but the store's confirmation has not reached this ledger yet (a look-up can read a
                // commit before its writer hears back). Such an entry is still in memory; anything else is not ours.
                if (_window.TryGet(entry.OperationId, out var mine) && mine.Sequence == entry.Sequence)
                {
                    continue;
                }

                throw new LedgerInvariantException(AccountId, $"journal returned entry {entry.Sequence} beyond durable {DurableSequence}.");
            }

            _window.Recall(entry);
        }
    }

    /// <summary>The store confirmed every entry up to <paramref name="sequence"/>.</summary>
    public void MarkDurable(long sequence)
    {
        if (sequence < DurableSequence || sequence > Sequence)
        {
            throw new LedgerInvariantException(AccountId, $"durable sequence {sequence} outside {DurableSequence}..{Sequence}.");
        }

        DurableSequence = sequence;
        _window.MarkDurable(sequence);
    }

    public LedgerOutcome Execute(LedgerCommand command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Validate();
        now = Truncate(now);
        if (command is OpenAccount open)
        {
            return IsOpen ? throw OpenAccount.AlreadyExists(AccountId) : Apply(open, now);
        }

        if (_window.TryGet(command.OperationId, out var earlier))
        {
            return Replay(earlier, command);
        }

        if (_window.Knows(command.OperationId, out _))
        {
            // Used before, and durable: only the journal has the entry. Running it as new would apply it twice.
            throw new LedgerInvariantException(AccountId, $"operation {command.OperationId} was used, but its entry was not looked up first.");
        }

        if (!IsOpen)
        {
            throw new LedgerException(LedgerErrorCodes.NotFound, $"Account {AccountId} does not exist.", "accountId");
        }

        if (_status == AccountStatus.Closed)
        {
            throw new LedgerException(LedgerErrorCodes.AccountClosed, $"Account {AccountId} is closed.");
        }

        return command switch
        {
            Deposit deposit => Apply(deposit, now),
            Debit debit => Apply(debit, now),
            Refund refund => Apply(refund, now),
            Reverse reverse => Apply(reverse, now),
            Adjust adjust => Apply(adjust, now),
            PlaceHold hold => Apply(hold, now),
            CaptureHold capture => Apply(capture, now),
            VoidHold @void => Apply(@void, now),
            FreezeAccount freeze => Apply(freeze, now),
            UnfreezeAccount unfreeze => Apply(unfreeze, now),
            CloseAccount close => Apply(close, now),
            ChangeSettings settings => Apply(settings, now),
            _ => throw new ArgumentException($"Unknown ledger command {command.GetType().Name}.", nameof(command)),
        };
    }

    /// <summary>Expires every open hold whose time has come, one entry each.</summary>
    public IReadOnlyList<JournalEntry> ExpireDue(DateTimeOffset now)
    {
        now = Truncate(now);
        var due = _openHolds.Values.Where(h => h.ExpiresAt <= now).OrderBy(h => h.ExpiresAt).ThenBy(h => h.Id, StringComparer.Ordinal).ToList();
        var entries = new List<JournalEntry>(due.Count);
        foreach (var hold in due)
        {
            entries.Add(Close(hold, JournalEntryKind.Expire, HoldStatus.Expired, OperationIds.ForExpiry(hold.Id), CanonicalRequest.Build(), now).Entry);
        }

        return entries;
    }

    public AccountSnapshot ToSnapshot() => new(
        AccountId,
        _name,
        _status,
        _guest,
        _settings,
        _available,
        _held,
        Sequence,
        new LedgerTotals(_deposited, _reversed, _debited, _captured, _refunded, _adjusted),
        _openHolds.Values.OrderBy(h => h.CreatedAt).ThenBy(h => h.Id, StringComparer.Ordinal).ToArray(),
        _createdAt,
        _updatedAt,
        _inDebt,
        _debtFloor);

    /// <summary>Stored times carry milliseconds; the ledger's own do too, so what is read back equals what was written.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    private LedgerOutcome Replay(JournalEntry earlier, LedgerCommand command)
    {
        if (earlier.Kind != KindOf(command))
        {
            throw new LedgerException(
                LedgerErrorCodes.IdempotencyConflict,
                $"Operation {command.OperationId} was already used for a {JournalEntryKinds.Name(earlier.Kind)}.",
                "operationId");
        }

        if (CanonicalRequest.FirstDifference(earlier.Request, command.ToRequest()) is { } field)
        {
            throw new LedgerException(
                LedgerErrorCodes.IdempotencyConflict,
                $"Operation {command.OperationId} was already used with a different {field}.",
                field);
        }

        return new LedgerOutcome(earlier, Replayed: true, AutoReloadWanted: false);
    }

    private static JournalEntryKind KindOf(LedgerCommand command) => command switch
    {
        OpenAccount => JournalEntryKind.Open,
        Deposit => JournalEntryKind.Deposit,
        Debit => JournalEntryKind.Debit,
        Refund => JournalEntryKind.Refund,
        Reverse => JournalEntryKind.Reversal,
        Adjust => JournalEntryKind.Adjustment,
        PlaceHold => JournalEntryKind.Hold,
        CaptureHold => JournalEntryKind.Capture,
        VoidHold => JournalEntryKind.Void,
        FreezeAccount => JournalEntryKind.Freeze,
        UnfreezeAccount => JournalEntryKind.Unfreeze,
        CloseAccount => JournalEntryKind.Close,
        ChangeSettings => JournalEntryKind.Settings,
        _ => throw new ArgumentException($"Unknown ledger command {command.GetType().Name}.", nameof(command)),
    };

    private LedgerOutcome Apply(OpenAccount open, DateTimeOffset now)
    {
        _name = open.Name;
        _guest = open.Guest;
        _settings = open.Settings;
        _status = AccountStatus.Active;
        _createdAt = now;
        return Append(JournalEntryKind.Open, 0, 0, _available, _held, open, now);
    }

    /// <summary>
    /// <paramref name="available"/>, refused when it and what is held would overflow together: the account's total
    /// (available + held, which the conservation totals must match) has to fit a credit amount too.
    /// </summary>
    private long WithinTotal(long available, string field)
    {
        CreditMath.Add(available, _held, field);
        return available;
    }

    private LedgerOutcome Apply(Deposit deposit, DateTimeOffset now)
    {
        var available = WithinTotal(CreditMath.Add(_available, deposit.Amount, "amount"), "amount");
        var total = CreditMath.Add(_deposited, deposit.Amount, "amount");
        _deposited = total;
        return Append(JournalEntryKind.Deposit, deposit.Amount, 0, available, _held, deposit, now, deposit.Reference, deposit.Metadata);
    }

    private LedgerOutcome Apply(Debit debit, DateTimeOffset now)
    {
        RequireActive();
        RequireNotInDebt();
        var available = Spend(debit.Amount, allowOverdraft: true);
        _debited = CreditMath.Add(_debited, debit.Amount, "amount");
        return Append(JournalEntryKind.Debit, debit.Amount, 0, available, _held, debit, now, debit.Reference, debit.Metadata);
    }

    private LedgerOutcome Apply(Refund refund, DateTimeOffset now)
    {
        RequireActive();
        var available = Spend(refund.Amount, allowOverdraft: false);
        _refunded = CreditMath.Add(_refunded, refund.Amount, "amount");
        return Append(JournalEntryKind.Refund, refund.Amount, 0, available, _held, refund, now, refund.Reference, refund.Metadata);
    }

    private LedgerOutcome Apply(Reverse reverse, DateTimeOffset now)
    {
        // A rail took the money back: the ledger must follow even below zero; holds and debits then stop by themselves.
        var available = reverse.WithinAvailable ? Spend(reverse.Amount, allowOverdraft: false) : CreditMath.Subtract(_available, reverse.Amount, "amount");
        _reversed = CreditMath.Add(_reversed, reverse.Amount, "amount");
        return Append(JournalEntryKind.Reversal, reverse.Amount, 0, available, _held, reverse, now, reverse.Reference, reverse.Metadata);
    }

    private LedgerOutcome Apply(Adjust adjust, DateTimeOffset now)
    {
        var available = WithinTotal(CreditMath.Add(_available, adjust.Amount, "amount"), "amount");
        _adjusted = CreditMath.Add(_adjusted, adjust.Amount, "amount");
        return Append(JournalEntryKind.Adjustment, adjust.Amount, 0, available, _held, adjust, now, adjust.Reason);
    }

    private LedgerOutcome Apply(PlaceHold place, DateTimeOffset now)
    {
        // A forced hold is the rail's, like a reversal: the ledger follows it on a frozen or negative account.
        if (!place.Forced)
        {
            RequireActive();
            RequireNotInDebt();
        }

        // The limit bounds what the account's own callers open. A rail's holds (one per card dispute) are bounded by the rail,
        // and refusing one would let an owner who filled the limit keep disputed credits spendable.
        if (!place.Forced && _openHolds.Count >= _settings.MaxOpenHolds)
        {
            throw new LedgerException(LedgerErrorCodes.TooManyHolds, $"Account {AccountId} already has {_openHolds.Count} open holds, its limit.");
        }

        var available = place.Forced ? CreditMath.Subtract(_available, place.Amount, "amount") : Spend(place.Amount, allowOverdraft: true);
        var held = CreditMath.Add(_held, place.Amount, "amount");
        DateTimeOffset? expiresAt = place.ExpiresIn is { } expiresIn ? Truncate(now + expiresIn) : null;
        var hold = new Hold(place.OperationId, place.Amount, 0, HoldStatus.Open, expiresAt, place.Reference, now);
        _openHolds.Add(hold.Id, hold);
        return Append(JournalEntryKind.Hold, place.Amount, 0, available, held, place, now, place.Reference, hold: hold);
    }

    private LedgerOutcome Apply(CaptureHold capture, DateTimeOffset now)
    {
        var hold = OpenHold(capture.HoldId, now);
        var remaining = hold.Remaining;
        if (capture.Amount > remaining)
        {
            throw LedgerException.Invalid("amount", $"amount {capture.Amount} is more than the {remaining} left on hold {hold.Id}.");
        }

        var captured = hold.Captured + capture.Amount;
        var closes = capture.Final || captured == hold.Amount;
        var released = capture.Final ? remaining - capture.Amount : 0;
        var totalCaptured = CreditMath.Add(_captured, capture.Amount, "amount");
        var after = hold with { Captured = captured, Status = closes ? HoldStatus.Captured : HoldStatus.Open };
        SetHold(after);
        _captured = totalCaptured;
        return Append(
            JournalEntryKind.Capture, capture.Amount, released, CreditMath.Add(_available, released, "amount"), _held - capture.Amount - released, capture, now,
            hold.Reference, hold: after);
    }

    private LedgerOutcome Apply(VoidHold @void, DateTimeOffset now) =>
        Close(OpenHold(@void.HoldId, now), JournalEntryKind.Void, HoldStatus.Voided, @void.OperationId, @void.ToRequest(), now);

    private LedgerOutcome Close(Hold hold, JournalEntryKind kind, HoldStatus status, string operationId, string request, DateTimeOffset now)
    {
        var released = hold.Remaining;
        var after = hold with { Status = status };
        SetHold(after);
        return AppendEntry(new JournalEntry(
            Sequence + 1, kind, 0, released, CreditMath.Add(_available, released, "amount"), _held - released, operationId,
            hold.Id, hold.Amount, hold.Captured, hold.ExpiresAt, hold.Reference, null, request, now));
    }

    private LedgerOutcome Apply(FreezeAccount freeze, DateTimeOffset now)
    {
        if (_status != AccountStatus.Active)
        {
            throw new LedgerException(LedgerErrorCodes.InvalidState, $"Account {AccountId} is not active.");
        }

        _status = AccountStatus.Frozen;
        return Append(JournalEntryKind.Freeze, 0, 0, _available, _held, freeze, now, freeze.Reason);
    }

    private LedgerOutcome Apply(UnfreezeAccount unfreeze, DateTimeOffset now)
    {
        if (_status != AccountStatus.Frozen)
        {
            throw new LedgerException(LedgerErrorCodes.InvalidState, $"Account {AccountId} is not frozen.");
        }

        _status = AccountStatus.Active;
        return Append(JournalEntryKind.Unfreeze, 0, 0, _available, _held, unfreeze, now);
    }

    private LedgerOutcome Apply(CloseAccount close, DateTimeOffset now)
    {
        if (_available != 0 || _held != 0)
        {
            throw new LedgerException(
                LedgerErrorCodes.AccountNotEmpty, $"Account {AccountId} still has {_available} available and {_held} held; refund or settle them first.");
        }

        if (_settings.AutoReloadThreshold is { } threshold)
        {
            // Checked here, in the account's own order, so no auto-reload can be set up between a check and the close: a
            // card charged for an account that closed meanwhile would pay for credits nobody can take.
            throw new LedgerException(
                LedgerErrorCodes.InvalidState,
                $"Account {AccountId} reloads itself below {threshold} credits; turn auto-reload off (DELETE /v1/accounts/{AccountId}/auto-reload) before closing.");
        }

        _status = AccountStatus.Closed;
        return Append(JournalEntryKind.Close, 0, 0, 0, 0, close, now);
    }

    private LedgerOutcome Apply(ChangeSettings change, DateTimeOffset now)
    {
        _settings = new AccountSettings(change.OverdraftLimit, change.MaxOpenHolds, change.AutoReloadThreshold);
        return Append(JournalEntryKind.Settings, 0, 0, _available, _held, change, now);
    }

    private void RequireActive()
    {
        if (_status == AccountStatus.Frozen)
        {
            throw new LedgerException(LedgerErrorCodes.AccountFrozen, $"Account {AccountId} is frozen.");
        }
    }

    private void RequireNotInDebt()
    {
        if (_inDebt)
        {
            throw new LedgerException(
                LedgerErrorCodes.NegativeBalance, $"Account {AccountId} has {_available} available, taken below {(_debtFloor == 0 ? "zero" : _debtFloor)} by a payment rail; nothing can be spent until it is back there.")
            {
                Available = _available,
            };
        }
    }

    /// <summary>Available after spending <paramref name="amount"/>, or insufficient_funds.</summary>
    private long Spend(long amount, bool allowOverdraft)
    {
        var floor = allowOverdraft ? -_settings.OverdraftLimit : 0;
        var after = CreditMath.Subtract(_available, amount, "amount");
        if (after < floor)
        {
            throw new LedgerException(
                LedgerErrorCodes.InsufficientFunds, $"Account {AccountId} has {_available} available; {amount} needed.")
            {
                Available = _available,
                Required = amount,
            };
        }

        return after;
    }

    private Hold OpenHold(string holdId, DateTimeOffset now)
    {
        if (_openHolds.TryGetValue(holdId, out var hold))
        {
            // Past its expiry the hold is as good as expired, even before the reminder got to it.
            return hold.ExpiresAt <= now
                ? throw new LedgerException(LedgerErrorCodes.HoldClosed, $"Hold {holdId} has expired.", "holdId")
                : hold;
        }

        // The hold's own entry may have left the window; an expiry written just now (ExpireDue right before
        // this command, after its ids were looked up) still names it.
        if ((_window.Knows(holdId, out var kind) && kind == JournalEntryKind.Hold)
            || _window.Knows(OperationIds.ForExpiry(holdId), out _))
        {
            throw new LedgerException(LedgerErrorCodes.HoldClosed, $"Hold {holdId} is already closed.", "holdId");
        }

        throw new LedgerException(LedgerErrorCodes.NotFound, $"Account {AccountId} has no hold {holdId}.", "holdId");
    }

    private void SetHold(Hold hold)
    {
        if (hold.Status == HoldStatus.Open)
        {
            _openHolds[hold.Id] = hold;
        }
        else
        {
            _openHolds.Remove(hold.Id);
        }
    }

    private LedgerOutcome Append(
        JournalEntryKind kind, long amount, long released, long available, long held, LedgerCommand command, DateTimeOffset now,
        string? reference = null, string? metadata = null, Hold? hold = null) =>
        AppendEntry(new JournalEntry(
            Sequence + 1, kind, amount, released, available, held, command.OperationId,
            hold?.Id, hold?.Amount, hold?.Captured, hold?.ExpiresAt, reference, metadata, command.ToRequest(), now));

    private LedgerOutcome AppendEntry(JournalEntry entry)
    {
        var before = _available;
        _available = entry.AvailableAfter;
        _held = entry.HeldAfter;
        if (_inDebt)
        {
            if (_available >= _debtFloor)
            {
                _inDebt = false;
                _debtFloor = 0;
            }
        }
        else if (_available < 0 && IsImposedByRail(entry))
        {
            _inDebt = true;
            _debtFloor = Math.Min(before, 0); // a later rail entry while in debt adds to what is owed, not to the floor
        }

        Sequence = entry.Sequence;
        _updatedAt = entry.At;
        if (entry.Kind == JournalEntryKind.Expire)
        {
            _window.AddWithoutEviction(entry); // ExpireDue runs after a command's ids were checked, before it executes
        }
        else
        {
            _window.Add(entry, DurableSequence);
        }
        CheckInvariants(entry);
        var threshold = _settings.AutoReloadThreshold;
        return new LedgerOutcome(entry, Replayed: false, AutoReloadWanted: threshold is { } t && before >= t && _available < t);
    }

    /// <summary>The rules of DESIGN.md section 4; a failure is a bug, and the owner must discard this instance.</summary>
    private void CheckInvariants(JournalEntry? last)
    {
        var openHeld = 0L;
        foreach (var hold in _openHolds.Values)
        {
            if (hold.Status != HoldStatus.Open || hold.Captured < 0 || hold.Captured >= hold.Amount)
            {
                throw new LedgerInvariantException(AccountId, $"hold {hold.Id} is listed open with {hold.Captured} of {hold.Amount} captured.");
            }

            openHeld += hold.Amount - hold.Captured;
        }

        if (openHeld != _held || _held < 0)
        {
            throw new LedgerInvariantException(AccountId, $"held {_held} but open holds sum to {openHeld}.");
        }

        // In 128 bits: the lifetime totals may each sit near long.MaxValue while the balance is small, and an
        // overflow here would escape after the entry was applied.
        var net = (Int128)_deposited - _reversed - _debited - _captured - _refunded + _adjusted;
        if (net != (Int128)_available + _held)
        {
            throw new LedgerInvariantException(AccountId, $"totals say {net} but available + held is {(Int128)_available + _held}.");
        }

        if (last is { Kind: JournalEntryKind.Debit or JournalEntryKind.Hold } && !IsImposedByRail(last) && _available < -_settings.OverdraftLimit)
        {
            throw new LedgerInvariantException(AccountId, $"{JournalEntryKinds.Name(last.Kind)} took available to {_available}, beyond the overdraft limit.");
        }

        if (last is { Kind: JournalEntryKind.Refund } && _available < 0)
        {
            throw new LedgerInvariantException(AccountId, $"refund took available to {_available}.");
        }

        if (_status == AccountStatus.Closed && (_available != 0 || _held != 0))
        {
            throw new LedgerInvariantException(AccountId, "a closed account holds credits.");
        }

        if (_inDebt ? _available >= _debtFloor || _debtFloor > 0 : _debtFloor != 0)
        {
            throw new LedgerInvariantException(AccountId, $"marked in debt {_inDebt} at {_available} available with its debt clearing at {_debtFloor}.");
        }
    }

    /// <summary>
    /// A reversal or a forced hold: the rail's doing, not the account's spending, so it may go below zero (and past
    /// the overdraft). Read from the entry's own request, so the journal alone tells.
    /// </summary>
    private static bool IsImposedByRail(JournalEntry entry) =>
        entry.Kind == JournalEntryKind.Reversal || (entry.Kind == JournalEntryKind.Hold && PlaceHold.IsForcedRequest(entry.Request));
}
