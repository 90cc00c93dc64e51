using System.Diagnostics;

namespace Grid.Bench.Ledger;

/// <summary>
/// One open-loop client's fixed timetable: operation k is due at first + k x interval, whatever happened to
/// the ones before (no coordinated omission). A client that falls behind starts late and its latency,
/// counted from the due time, shows it. Waiting rounds up to whole milliseconds, so an operation never
/// starts early; the lateness this adds is reported as the start lag.
/// </summary>
public sealed class ArrivalSchedule(long first, long interval)
{
    private long _next = first;

    /// <summary>Waits until the next operation is due and returns its due time (a Stopwatch timestamp).</summary>
    public async ValueTask<long> NextAsync(ClientTally tally)
    {
        var due = _next;
        _next += interval;
        var wait = due - Stopwatch.GetTimestamp();
        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait * 1000.0 / Stopwatch.Frequency)));
            tally.StartLags.Add(Stopwatch.GetTimestamp() - due);
        }

        return due;
    }

    /// <summary>Gives up the next slot (the capture of a hold that was refused).</summary>
    public void Skip() => _next += interval;
}
