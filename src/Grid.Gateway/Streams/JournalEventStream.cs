using Grid.Contracts.Accounts;
using Grid.Ledger.Journal;
using Grid.Runtime;
using Grid.Storage;
using Microsoft.AspNetCore.Http;

namespace Grid.Gateway.Streams;

/// <summary>
/// One subscriber's server-sent event stream of an account's journal. It reads the journal when it starts, after
/// a gap, when another silo announces an append, and when the account has been quiet for a poll period; in
/// between, appends made on this silo arrive as events carrying their durable entries, written as they come
/// with no journal read per subscriber. Its waits and its write watchdog live as long as the stream, so a wake
/// costs no timers: a thousand subscribers of one account stay cheap.
/// </summary>
internal sealed class JournalEventStream : IDisposable
{
    private const int Page = 1_000;

    /// <summary>How long an announced append of an account active here may take to arrive as this silo's event.</summary>
    private static readonly TimeSpan LocalGrace = TimeSpan.FromMilliseconds(100);

    private readonly HttpContext _http;
    private readonly IAccountGrain _account;
    private readonly GrainEventSubscription<JournalAppended> _local;
    private readonly JournalSubscription? _announced;
    private readonly StreamFrames _frames;
    private readonly StreamOptions _settings;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _writeExpiry;
    private readonly CancellationTokenSource _write;
    private long _after;

    public JournalEventStream(
        HttpContext http, IAccountGrain account, GrainEventSubscription<JournalAppended> local, JournalSubscription? announced,
        StreamFrames frames, StreamOptions settings, TimeProvider time, long after)
    {
        _http = http;
        _account = account;
        _local = local;
        _announced = announced;
        _frames = frames;
        _settings = settings;
        _time = time;
        _after = after;
        _writeExpiry = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _write = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _writeExpiry.Token);
    }

    private CancellationToken Aborted => _http.RequestAborted;

    /// <summary>Streams until the subscriber goes away, falls behind, or stops taking what is written.</summary>
    public async Task RunAsync()
    {
        await _http.Response.Body.FlushAsync(Aborted);
        var tickPeriod = _settings.PollPeriod < _settings.HeartbeatPeriod ? _settings.PollPeriod : _settings.HeartbeatPeriod;
        var nextHeartbeat = _time.GetUtcNow() + _settings.HeartbeatPeriod;
        var tick = Task.Delay(tickPeriod, _time, Aborted);
        Task<bool>? localWait = null;
        Task? announcedWait = null;
        var fromJournal = true;
        var publishesHere = false;
        var heardLocally = false;
        while (!Aborted.IsCancellationRequested)
        {
            if (fromJournal)
            {
                await CatchUpFromJournalAsync();
                fromJournal = false;
            }

            localWait ??= _local.Reader.WaitToReadAsync(Aborted).AsTask();
            // While the account publishes here, its events say all there is: announcements of the same appends
            // would only wake every stream a second time. A quiet period turns them back on (it may have moved).
            announcedWait ??= publishesHere ? null : _announced?.WaitAsync(_after, Aborted);
            var first = await Task.WhenAny(announcedWait is null ? [localWait, tick] : [localWait, announcedWait, tick]);
            await first; // the subscriber's cancellation, or SubscriberTooSlowException from a buffer it overran
            if (first == localWait)
            {
                localWait = null;
                heardLocally = publishesHere = true;
                fromJournal = !await WriteAppendedAsync();
            }
            else if (first == announcedWait)
            {
                announcedWait = null;
                // A wait started before this stream moved on may be stale; ask again from where it is now.
                if (_announced!.WaitAsync(_after, CancellationToken.None).IsCompleted)
                {
                    fromJournal = !publishesHere || !await ArrivesLocallyAsync(localWait);
                }
            }
            else
            {
                tick = Task.Delay(tickPeriod, _time, Aborted);
                if (_time.GetUtcNow() >= nextHeartbeat)
                {
                    await WriteWithinTimeoutAsync(token => _http.Response.WriteAsync(": heartbeat\n\n", token));
                    nextHeartbeat = _time.GetUtcNow() + _settings.HeartbeatPeriod;
                }

                if (!heardLocally)
                {
                    fromJournal = true; // quiet here for a whole period: look, in case it was written elsewhere
                    publishesHere = false;
                }

                heardLocally = false;
            }
        }
    }

    public void Dispose()
    {
        _write.Dispose();
        _writeExpiry.Dispose();
    }

    private async Task CatchUpFromJournalAsync()
    {
        while (true)
        {
            var page = await _account.GetJournal(_after, Page);
            await WriteEntriesAsync(page.Entries);
            if (page.Next is null)
            {
                return;
            }
        }
    }

    /// <summary>Writes what this silo's appends brought; false when they skip an entry (the journal must fill the gap).</summary>
    private async Task<bool> WriteAppendedAsync()
    {
        while (_local.Reader.TryRead(out var append))
        {
            var fresh = append.Entries.Where(e => e.Sequence > _after).ToArray();
            if (fresh.Length > 0 && fresh[0].Sequence != _after + 1)
            {
                return false;
            }

            await WriteEntriesAsync(fresh);
        }

        return true;
    }

    /// <summary>An announcement can overtake the event of an append made here; waits briefly for the event.</summary>
    private async Task<bool> ArrivesLocallyAsync(Task<bool>? localWait)
    {
        if (localWait is null)
        {
            return false;
        }

        await Task.WhenAny(localWait, Task.Delay(LocalGrace, _time, Aborted));
        return localWait.IsCompleted;
    }

    private async Task WriteEntriesAsync(IReadOnlyList<JournalEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        await WriteWithinTimeoutAsync(async token =>
        {
            foreach (var entry in entries)
            {
                await _http.Response.Body.WriteAsync(_frames.Of(entry), token);
            }
        });
        _after = entries[^1].Sequence;
    }

    /// <summary>Writes and flushes within the write timeout, or throws <see cref="StreamWriteTimeoutException"/>.</summary>
    private async Task WriteWithinTimeoutAsync(Func<CancellationToken, Task> write)
    {
        _writeExpiry.CancelAfter(_settings.WriteTimeout);
        try
        {
            await write(_write.Token);
            await _http.Response.Body.FlushAsync(_write.Token);
        }
        catch (OperationCanceledException) when (_writeExpiry.IsCancellationRequested && !Aborted.IsCancellationRequested)
        {
            throw new StreamWriteTimeoutException();
        }

        _writeExpiry.CancelAfter(Timeout.InfiniteTimeSpan);
    }
}
