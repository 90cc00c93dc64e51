namespace Grid.Storage;

/// <summary>
/// One watcher's interest in one account's journal announcements. <see cref="WaitAsync"/> returns once an
/// entry after a given sequence was announced, or once the listener lost its connection (announcements may
/// have been missed, so the watcher reads the journal again either way).
/// </summary>
public sealed class JournalSubscription : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Action<JournalSubscription> _unsubscribe;
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _announced;
    private bool _resync;

    internal JournalSubscription(string accountId, Action<JournalSubscription> unsubscribe)
    {
        AccountId = accountId;
        _unsubscribe = unsubscribe;
    }

    public string AccountId { get; }

    /// <summary>Waits for an announcement of a sequence after <paramref name="afterSequence"/> (or a resync).</summary>
    public Task WaitAsync(long afterSequence, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_announced > afterSequence || _resync)
            {
                _resync = false;
                return Task.CompletedTask;
            }

            if (_signal.Task.IsCompleted)
            {
                _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return _signal.Task.WaitAsync(cancellationToken);
        }
    }

    public void Dispose() => _unsubscribe(this);

    internal void Announce(long sequence)
    {
        lock (_lock)
        {
            _announced = Math.Max(_announced, sequence);
            _signal.TrySetResult();
        }
    }

    internal void Resync()
    {
        lock (_lock)
        {
            _resync = true;
            _signal.TrySetResult();
        }
    }
}
