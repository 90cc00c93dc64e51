using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Grid.Stripe.Tests.Api.Support;

/// <summary>
/// A manual clock that also tells which waits the code under test starts: every timer armed on it (created
/// with a due time, or re-armed later, as a pooled <see cref="CancellationTokenSource"/> is by
/// <c>CancelAfter</c>) is reported with its due time, so a test can move the clock over exactly that wait (a
/// backoff) or leave it (an attempt's timeout). Nothing moves unless the test moves it.
/// </summary>
internal sealed class RecordingClock : TimeProvider
{
    private readonly ManualTimeProvider _clock = new();
    private readonly Channel<TimeSpan> _armed = Channel.CreateUnbounded<TimeSpan>();
    private readonly ConcurrentQueue<TimeSpan> _all = new();

    public override long TimestampFrequency => _clock.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>The due time of every timer armed so far, in order.</summary>
    public IReadOnlyList<TimeSpan> TimersStarted => [.. _all];

    public override DateTimeOffset GetUtcNow() => _clock.GetUtcNow();

    public override long GetTimestamp() => _clock.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new RecordingTimer(this, _clock.CreateTimer(callback, state, dueTime, period));
        Armed(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer armed (or already armed and not yet taken).</summary>
    public ValueTask<TimeSpan> NextTimerAsync(CancellationToken cancellationToken) => _armed.Reader.ReadAsync(cancellationToken);

    public void Advance(TimeSpan by) => _clock.Advance(by);

    private void Armed(TimeSpan dueTime)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _all.Enqueue(dueTime);
            _armed.Writer.TryWrite(dueTime);
        }
    }

    private sealed class RecordingTimer(RecordingClock clock, ITimer timer) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = timer.Change(dueTime, period);
            clock.Armed(dueTime);
            return changed;
        }

        public void Dispose() => timer.Dispose();

        public ValueTask DisposeAsync() => timer.DisposeAsync();
    }
}
