using System.Buffers;
using System.IO.Pipelines;
using Grid.Ledger.Journal;

namespace Grid.Gateway.Streams;

/// <summary>
/// One stream's place in its account's <see cref="AccountBroadcast"/>. While joined, the broadcast writes the
/// account's new entries straight into the response, synchronously, and lets go of it (leaves) the moment a
/// flush does not complete at once, an append skips an entry, or the stream must write something itself. The
/// stream's own loop then owns the writer until it has caught up from the journal and joins again. A lock
/// hands the writer from one to the other; nothing under it waits.
/// </summary>
internal sealed class StreamMember(PipeWriter writer, StreamFrames frames)
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _attention = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _joined;
    private bool _missed;
    private Task? _pendingFlush;
    private long _after;
    private long _delivered;

    /// <summary>The last sequence written to the stream, by the broadcast or (before it joined) by the stream.</summary>
    public long After
    {
        get
        {
            lock (_lock)
            {
                return _after;
            }
        }
    }

    /// <summary>How many appends the broadcast has written here: the account has been publishing on this silo.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Completes when the broadcast let go of the stream (it must catch up or finish a flush).</summary>
    public Task Attention
    {
        get
        {
            lock (_lock)
            {
                return _attention.Task;
            }
        }
    }

    /// <summary>
    /// Takes the writer back from the broadcast; the returned task is a flush the broadcast started and did not
    /// see finish (await it before writing). The sequence is the last one written.
    /// </summary>
    public (Task? PendingFlush, long After) Leave()
    {
        lock (_lock)
        {
            _joined = false;
            var pending = _pendingFlush;
            _pendingFlush = null;
            if (_attention.Task.IsCompleted)
            {
                _attention = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return (pending, _after);
        }
    }

    /// <summary>
    /// Hands the writer to the broadcast, everything up to <paramref name="after"/> having been written; false
    /// when an append went by unwritten since the stream left (it must read the journal once more first).
    /// </summary>
    public bool TryJoin(long after)
    {
        lock (_lock)
        {
            _after = after;
            if (_missed)
            {
                _missed = false;
                return false;
            }

            _joined = true;
            return true;
        }
    }

    /// <summary>Called by the broadcast for each durable append of the account, in order.</summary>
    public void Offer(IReadOnlyList<JournalEntry> entries)
    {
        lock (_lock)
        {
            if (!_joined)
            {
                _missed = true;
                return;
            }

            var first = 0;
            while (first < entries.Count && entries[first].Sequence <= _after)
            {
                first++;
            }

            if (first == entries.Count)
            {
                return;
            }

            if (entries[first].Sequence != _after + 1)
            {
                LetGo(pending: null, missed: true); // a gap: only the journal can fill it
                return;
            }

            try
            {
                for (var i = first; i < entries.Count; i++)
                {
                    writer.Write(frames.Of(entries[i]).Span);
                }

                _after = entries[^1].Sequence;
                Interlocked.Increment(ref _delivered);
                var flush = writer.FlushAsync(CancellationToken.None);
                if (!flush.IsCompletedSuccessfully)
                {
                    LetGo(flush.AsTask(), missed: false); // the subscriber is not keeping up: its own loop takes over
                }
            }
            catch (Exception broken) when (broken is InvalidOperationException or IOException or OperationCanceledException)
            {
                LetGo(Task.FromException(broken), missed: false); // the response is gone; its loop will find out
            }
        }
    }

    /// <summary>The broadcast lost appends (its own buffer overflowed): every member reads the journal.</summary>
    public void Lost()
    {
        lock (_lock)
        {
            LetGo(pending: null, missed: true);
        }
    }

    private void LetGo(Task? pending, bool missed)
    {
        _joined = false;
        _missed |= missed;
        _pendingFlush ??= pending; // a flush still under way stays the loop's to finish, whatever let go after it
        _attention.TrySetResult();
    }
}
