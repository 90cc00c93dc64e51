namespace Grid.Grains.Chain;

/// <summary>A watcher's persisted state: everything a restarted or moved watcher needs to go on without a gap or a second credit.</summary>
public sealed class ChainWatcherState
{
    /// <summary>The next block to scan; null before the first scan.</summary>
    public ulong? NextBlock { get; set; }

    /// <summary>Hashes of the last scanned blocks (ascending, at most the reorg window): where a reorg forked is found here.</summary>
    public List<BlockRef> Recent { get; set; } = [];

    public List<TrackedDeposit> Tracked { get; set; } = [];

    /// <summary>Deposits of blocks a reorg removed, waiting to be found again on the new chain before the scan reaches its head.</summary>
    public List<TrackedDeposit> Orphaned { get; set; } = [];

    /// <summary>
    /// The highest block scanned before the reorgs whose deposits are in <see cref="Orphaned"/>: they are given up only
    /// once the new chain is scanned past it, so a new chain that is still shorter cannot take back what it may yet hold.
    /// </summary>
    public ulong? OrphanedBelow { get; set; }

    /// <summary>
    /// Deposits a client's transaction hint showed in blocks the scan has not reached yet. Their payments were told of
    /// a sighting that only the scan can confirm: it finds them (and follows them from then on), or passes their block
    /// without them and their payments drop the sighting.
    /// </summary>
    public List<TrackedDeposit> Hinted { get; set; } = [];

    public ulong LogRange { get; set; }

    /// <summary>
    /// The range that followed the node's last refusal: until the scan reaches the head, growth stops there, so a
    /// catch-up does not hit a provider's limit again and again. Cleared at the head, so the next catch-up probes
    /// again (limits by result size move with how busy the blocks are).
    /// </summary>
    public ulong? LogRangeCeiling { get; set; }

    public long Reorgs { get; set; }

    public long Reversals { get; set; }
}
