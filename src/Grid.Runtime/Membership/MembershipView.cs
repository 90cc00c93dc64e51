namespace Grid.Runtime.Membership;

/// <summary>
/// The silos a silo or client believes are serving, and who owns which grain among them: rendezvous
/// (highest random weight) hashing, so every party with the same view computes the same owner without a
/// directory, and a silo that leaves moves only the grains it owned.
/// </summary>
public sealed class MembershipView
{
    private readonly MembershipEntry[] _silos;
    private readonly ulong[] _siloHashes;

    private MembershipView(MembershipEntry[] silos, DateTimeOffset computedAt)
    {
        _silos = silos;
        _siloHashes = silos.Select(s => PlacementHash.Of(s.SiloId)).ToArray();
        ComputedAt = computedAt;
    }

    public static MembershipView Empty { get; } = new([], DateTimeOffset.MinValue);

    /// <summary>The active silos, in silo id order.</summary>
    public IReadOnlyList<MembershipEntry> Silos => _silos;

    public DateTimeOffset ComputedAt { get; }

    /// <summary>
    /// The view from the table's rows at <paramref name="now"/>: silos that say they are active and whose
    /// heartbeat is no older than <paramref name="suspectTimeout"/> by <paramref name="now"/>'s clock. A one-off
    /// judgement by wall clocks; silos and clients that read the table over time use <see cref="HeartbeatAges"/>.
    /// </summary>
    public static MembershipView From(IEnumerable<MembershipEntry> rows, DateTimeOffset now, TimeSpan suspectTimeout)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var active = rows
            .Where(r => r.Status == SiloStatus.Active && now - r.HeartbeatAt <= suspectTimeout)
            .OrderBy(r => r.SiloId, StringComparer.Ordinal)
            .ToArray();
        return new MembershipView(active, now);
    }

    /// <summary>A view from silos already known to be active (as a silo reports its own view to clients).</summary>
    public static MembershipView Of(IEnumerable<MembershipEntry> active, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(active);
        return new MembershipView(active.Where(s => s.Status == SiloStatus.Active).OrderBy(s => s.SiloId, StringComparer.Ordinal).ToArray(), now);
    }

    public bool Contains(string siloId) => Array.FindIndex(_silos, s => s.SiloId == siloId) >= 0;

    /// <summary>The same silos as <paramref name="other"/> (heartbeats aside): placement would not differ.</summary>
    public bool SameSilos(MembershipView other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return _silos.Length == other._silos.Length
            && _silos.Zip(other._silos).All(pair => pair.First.SiloId == pair.Second.SiloId);
    }

    /// <summary>The silo that owns the grain, or null when the view is empty.</summary>
    public MembershipEntry? OwnerOf(GrainId grainId)
    {
        if (_silos.Length == 0)
        {
            return null;
        }

        var grainHash = PlacementHash.Of(grainId);
        var best = 0;
        var bestScore = PlacementHash.Score(grainHash, _siloHashes[0]);
        for (var i = 1; i < _silos.Length; i++)
        {
            var score = PlacementHash.Score(grainHash, _siloHashes[i]);
            if (score > bestScore)
            {
                best = i;
                bestScore = score;
            }
        }

        return _silos[best];
    }
}
