namespace Grid.Runtime.Membership;

/// <summary>
/// Judges which silos are alive by this silo's clock alone. A heartbeat is the time by its writer's wall clock, and
/// silos' wall clocks differ; so a row stays fresh while its heartbeat keeps changing, timed on this silo's monotonic
/// clock from when this silo saw it change. Only a row seen for the first time is aged by comparing its wall-clock time
/// with this silo's (nothing else is known of it yet). A live silo whose clock runs behind is then missed for one
/// heartbeat at most, instead of for good; one whose clock runs ahead drops out one suspect timeout after its
/// heartbeat stops, instead of that plus its lead. Used by silos and by clients that read the membership table.
/// </summary>
public sealed class HeartbeatAges
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _suspectTimeout;
    private Dictionary<string, Sighting> _seen = new(StringComparer.Ordinal);

    /// <param name="suspectTimeout">Validated by the options it comes from (ClusterOptions, GridClientOptions).</param>
    public HeartbeatAges(TimeProvider time, TimeSpan suspectTimeout)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _suspectTimeout = suspectTimeout;
    }

    /// <summary>
    /// The view of the active rows whose heartbeat moved within the suspect timeout; rows gone from the table are
    /// forgotten. <paramref name="readStartedAt"/> is this silo's timestamp (<see cref="TimeProvider.GetTimestamp"/>)
    /// from just before the rows were read: silence is judged as of then, and a change first seen is taken to have
    /// happened as late as now. So time this reader spent waiting for the answer, or stalled after it, is never counted
    /// as another silo's silence (it would drop live silos, and own their grains alongside them).
    /// </summary>
    public MembershipView ViewOf(IEnumerable<MembershipEntry> rows, long readStartedAt)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var fresh = new List<MembershipEntry>();
        DateTimeOffset wallNow;
        lock (_lock)
        {
            // Read under the lock, so sightings are recorded in the order of their times.
            wallNow = _time.GetUtcNow();
            var now = _time.GetTimestamp();
            var wallAtRead = wallNow - _time.GetElapsedTime(readStartedAt, now);
            var seen = new Dictionary<string, Sighting>(StringComparer.Ordinal);
            foreach (var row in rows)
            {
                var sighting = _seen.TryGetValue(row.SiloId, out var last)
                    ? last.HeartbeatAt == row.HeartbeatAt ? last : new Sighting(row.HeartbeatAt, now, now)
                    : new Sighting(row.HeartbeatAt, readStartedAt - Ticks(Age(wallAtRead - row.HeartbeatAt)), now);
                seen[row.SiloId] = sighting;
                if (row.Status == SiloStatus.Active && _time.GetElapsedTime(sighting.ChangedAt, readStartedAt) <= _suspectTimeout)
                {
                    fresh.Add(row);
                }
            }

            _seen = seen;
        }

        return MembershipView.Of(fresh, wallNow);
    }

    /// <summary>
    /// The silos, with their heartbeat as last read, whose heartbeat this reader has itself watched stand still for at
    /// least <paramref name="silence"/> (from its first sight, never backdated by wall clocks): a live silo whose clock
    /// runs far behind is not taken for gone.
    /// </summary>
    public IReadOnlyList<(string SiloId, DateTimeOffset HeartbeatAt)> SilentFor(TimeSpan silence)
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            return _seen
                .Where(seen => _time.GetElapsedTime(seen.Value.WatchedSince, now) >= silence)
                .Select(seen => (seen.Key, seen.Value.HeartbeatAt))
                .ToList();
        }
    }

    // A first sight's age by the wall clocks: a heartbeat from a clock ahead is new; beyond twice the timeout all are alike.
    private TimeSpan Age(TimeSpan difference) =>
        difference < TimeSpan.Zero ? TimeSpan.Zero : difference > 2 * _suspectTimeout ? 2 * _suspectTimeout : difference;

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    /// <param name="ChangedAt">This silo's monotonic timestamp of when the heartbeat took this value.</param>
    /// <param name="WatchedSince">This silo's monotonic timestamp of when it first saw the heartbeat at this value.</param>
    private sealed record Sighting(DateTimeOffset HeartbeatAt, long ChangedAt, long WatchedSince);
}
