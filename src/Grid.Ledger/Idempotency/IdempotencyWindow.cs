using Grid.Ledger.Journal;

namespace Grid.Ledger.Idempotency;

/// <summary>
/// The account's most recent journal entries by operation id, bounded so a long-lived account's memory
/// stays flat. Operation ids are kept for the account's lifetime in the journal itself; once this window
/// has let an entry go (<see cref="IsComplete"/> false), an id it does not know must be looked up in the
/// journal before it can be called new. Entries that are not durable yet are never let go: the journal
/// could not answer for them.
/// </summary>
public sealed class IdempotencyWindow(int capacity)
{
    private readonly Dictionary<string, JournalEntry> _byOperation = new(StringComparer.Ordinal);
    private readonly Queue<JournalEntry> _order = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    public int Count => _byOperation.Count;

    /// <summary>True while every entry the account ever wrote is in the window.</summary>
    public bool IsComplete { get; private set; } = true;

    public bool TryGet(string operationId, out JournalEntry entry) => _byOperation.TryGetValue(operationId, out entry!);

    /// <summary>Whether the id is certainly unused: it is not here and nothing was ever let go.</summary>
    public bool IsCertainlyNew(string operationId) => IsComplete && !_byOperation.ContainsKey(operationId);

    public void MarkIncomplete() => IsComplete = false;

    /// <summary>
    /// Adds an entry without letting any other go, for entries that arrive between a command's id check and
    /// its execution (ids looked up in the journal, expiries written first): the command relies on the ids
    /// the window held when it checked. The next <see cref="Add"/> trims the window again.
    /// </summary>
    public void AddWithoutEviction(JournalEntry entry)
    {
        if (_byOperation.TryAdd(entry.OperationId, entry))
        {
            _order.Enqueue(entry);
        }
    }

    /// <summary>Adds an entry; lets the oldest go while over capacity and already durable.</summary>
    public void Add(JournalEntry entry, long durableSequence)
    {
        if (!_byOperation.TryAdd(entry.OperationId, entry))
        {
            return; // an entry looked up again from the journal
        }

        _order.Enqueue(entry);
        while (_order.Count > Capacity && _order.Peek().Sequence <= durableSequence)
        {
            var oldest = _order.Dequeue();
            _byOperation.Remove(oldest.OperationId);
            IsComplete = false;
        }
    }
}
