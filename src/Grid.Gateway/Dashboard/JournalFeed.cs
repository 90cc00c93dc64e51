using Grid.Contracts.Accounts;
using Grid.Ledger.Journal;
using Grid.Runtime;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Dashboard;

/// <summary>
/// The latest journal entries made durable by accounts on this silo, kept only while someone looks: a reader
/// holds a lease (<see cref="Hold"/>), and while one is current a pump listens to every account's appends and
/// keeps the last few entries. When the last lease runs out the pump stops listening and nothing is kept.
/// </summary>
public sealed class JournalFeed : IDisposable
{
    private readonly IGrainEvents _events;
    private readonly DashboardOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly LinkedList<FeedEntry> _entries = new(); // guarded by _lock
    private readonly CancellationTokenSource _disposed = new();
    private readonly CancellationToken _stopping; // taken once: a pump may still look after the source is disposed
    private long _number;
    private DateTimeOffset _leaseEnds;
    private Task? _pump;

    public JournalFeed(IGrainEvents events, IOptions<DashboardOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _events = events;
        _options = options.Value;
        _time = time;
        _stopping = _disposed.Token;
    }

    /// <summary>Keeps the feed listening for <paramref name="lease"/> from now at least.</summary>
    public void Hold(TimeSpan lease)
    {
        lock (_lock)
        {
            var ends = _time.GetUtcNow() + lease;
            if (ends > _leaseEnds)
            {
                _leaseEnds = ends;
            }

            if (_pump is null or { IsCompleted: true } && !_stopping.IsCancellationRequested)
            {
                _pump = Task.Run(PumpAsync);
            }
        }
    }

    /// <summary>The kept entries after <paramref name="afterNumber"/>, oldest first.</summary>
    public IReadOnlyList<FeedEntry> After(long afterNumber)
    {
        lock (_lock)
        {
            return _entries.Where(e => e.Number > afterNumber).ToArray();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed.Cancel();
        }

        _disposed.Dispose();
    }

    private async Task PumpAsync()
    {
        var size = _options.FeedSize;
        using var appends = _events.SubscribeEverywhere<JournalAppended>(capacity: Math.Max(64, size * 4));
        while (true)
        {
            TimeSpan left;
            lock (_lock)
            {
                left = _leaseEnds - _time.GetUtcNow();
                if (left <= TimeSpan.Zero || _stopping.IsCancellationRequested)
                {
                    _entries.Clear(); // nobody looks: keep nothing
                    _pump = null;
                    return;
                }
            }

            using var lapse = new CancellationTokenSource(left, _time);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stopping, lapse.Token);
            try
            {
                while (await appends.Reader.WaitToReadAsync(wait.Token))
                {
                    while (appends.Reader.TryRead(out var append))
                    {
                        Keep(append, size);
                    }
                }

                return; // the hub completed the subscription
            }
            catch (OperationCanceledException)
            {
                // the lease may have been renewed meanwhile: look again
            }
        }
    }

    private void Keep(JournalAppended append, int size)
    {
        lock (_lock)
        {
            foreach (var entry in append.Entries)
            {
                _entries.AddLast(new FeedEntry(
                    ++_number, append.AccountId, entry.Sequence, JournalEntryKinds.Name(entry.Kind), entry.Amount, entry.AvailableAfter, entry.HeldAfter, entry.At));
                if (_entries.Count > size)
                {
                    _entries.RemoveFirst();
                }
            }
        }
    }
}
