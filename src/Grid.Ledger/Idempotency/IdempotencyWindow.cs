using Grid.Ledger.Journal;

namespace Grid.Ledger.Idempotency;

/// <summary>
/// What an account remembers of its recent operations, bounded so its memory stays flat however long it lives.
/// <list type="bullet">
/// <item>The last <see cref="Capacity"/> operations as fingerprints (<see cref="OperationFingerprint"/>, sequence
/// and kind): enough to call an id new or used, and to tell a hold from other entries. They hold no references, so
/// the garbage collector never traces them, however many accounts are active.</item>
/// <item>Whole entries only while the journal could not answer for them: not yet durable (never let go before they
/// are), or just looked up in the journal for a command about to run. A repeated operation that is already durable
/// is looked up in the journal again; retries are rare next to new operations.</item>
/// </list>
/// Operation ids are kept for the account's lifetime in the journal itself; once a fingerprint was let go
/// (<see cref="IsComplete"/> false), an id the window does not know must be looked up before it can be called new.
/// </summary>
public sealed class IdempotencyWindow(int capacity)
{
    private readonly Dictionary<OperationFingerprint, RememberedOperation> _known = [];
    private readonly Queue<OperationFingerprint> _order = new();
    private readonly Dictionary<string, JournalEntry> _whole = new(StringComparer.Ordinal);
    private readonly Queue<JournalEntry> _notDurable = new();
    private readonly List<string> _recalled = [];

    // One command's id is fingerprinted by its look-up check, its execution and its new entry: the same
    // string each time, so the last one is kept rather than hashed three times on every operation.
    private string? _lastId;
    private OperationFingerprint _lastFingerprint;

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <summary>Operations remembered by fingerprint.</summary>
    public int Count => _known.Count;

    /// <summary>Entries held whole: not yet durable, or just looked up.</summary>
    public int WholeCount => _whole.Count;

    /// <summary>True while every operation the account ever wrote is remembered.</summary>
    public bool IsComplete { get; private set; } = true;

    /// <summary>The whole entry of an operation, when held (see the class summary for when it is).</summary>
    public bool TryGet(string operationId, out JournalEntry entry) => _whole.TryGetValue(operationId, out entry!);

    /// <summary>Whether the operation is remembered, whole or by fingerprint, and the kind of entry it made.</summary>
    public bool Knows(string operationId, out JournalEntryKind kind)
    {
        if (_whole.TryGetValue(operationId, out var entry))
        {
            kind = entry.Kind;
            return true;
        }

        var found = _known.TryGetValue(Fingerprint(operationId), out var remembered);
        kind = remembered.Kind;
        return found;
    }

    /// <summary>
    /// Whether the journal must be asked about the id before a command with it can run: its entry is not held
    /// whole, and either it was used (a retry, answered with the original entry) or it may have been used before
    /// the window's memory begins.
    /// </summary>
    public bool NeedsLookup(string operationId) =>
        !_whole.ContainsKey(operationId) && (!IsComplete || _known.ContainsKey(Fingerprint(operationId)));

    public void MarkIncomplete() => IsComplete = false;

    /// <summary>A new entry, not durable yet. Fingerprints over capacity that are durable are let go, oldest first.</summary>
    public void Add(JournalEntry entry, long durableSequence)
    {
        ReleaseRecalled();
        AddNew(entry);
        while (_order.Count > Capacity && _known[_order.Peek()].Sequence <= durableSequence)
        {
            _known.Remove(_order.Dequeue());
            IsComplete = false;
        }
    }

    /// <summary>
    /// A new entry, not durable yet, that lets nothing go: for entries written between a command's id check and its
    /// execution (expiries), since the command relies on what the window held when it checked.
    /// </summary>
    public void AddWithoutEviction(JournalEntry entry) => AddNew(entry);

    /// <summary>
    /// Before a command's ids are first checked: an account that only sees retries of old ids adds no new entry, so
    /// the entries earlier look-ups recalled are let go once there are more than <see cref="Capacity"/> + 2 of them.
    /// A command recalls only the (at most two) ids it names, and this runs before its look-ups, never between them
    /// and its execution, so its own recalls are never let go before it runs.
    /// </summary>
    public void BeforeLookups()
    {
        if (_recalled.Count > Capacity + 2)
        {
            ReleaseRecalled();
        }
    }

    /// <summary>A durable entry looked up in the journal, held whole until the next new entry (or <see cref="BeforeLookups"/>).</summary>
    public void Recall(JournalEntry entry)
    {
        if (_known.Count < 2 * Capacity)
        {
            Remember(entry);
        }
        else
        {
            // Held whole while the command needs it, then the journal answers for it: no fingerprint, so a storm of
            // retries of old ids cannot grow the fingerprints either. The window no longer vouches for every id.
            IsComplete = false;
        }

        if (_whole.TryAdd(entry.OperationId, entry))
        {
            _recalled.Add(entry.OperationId);
        }
    }

    /// <summary>The store confirmed every entry up to <paramref name="sequence"/>: the journal now answers for them.</summary>
    public void MarkDurable(long sequence)
    {
        while (_notDurable.TryPeek(out var oldest) && oldest.Sequence <= sequence)
        {
            _whole.Remove(_notDurable.Dequeue().OperationId);
        }
    }

    private OperationFingerprint Fingerprint(string operationId)
    {
        if (!ReferenceEquals(operationId, _lastId))
        {
            _lastFingerprint = OperationFingerprint.Of(operationId);
            _lastId = operationId;
        }

        return _lastFingerprint;
    }

    private void AddNew(JournalEntry entry)
    {
        Remember(entry);
        if (_whole.TryAdd(entry.OperationId, entry))
        {
            _notDurable.Enqueue(entry);
        }
    }

    private void Remember(JournalEntry entry)
    {
        var fingerprint = Fingerprint(entry.OperationId);
        if (!_known.TryAdd(fingerprint, new RememberedOperation(entry.Sequence, entry.Kind)))
        {
            return; // looked up again, or (with a chance of 2^-128) a shared fingerprint: the journal answers for it
        }

        _order.Enqueue(fingerprint);
    }

    private void ReleaseRecalled()
    {
        foreach (var operationId in _recalled)
        {
            _whole.Remove(operationId);
        }

        _recalled.Clear();
    }
}
