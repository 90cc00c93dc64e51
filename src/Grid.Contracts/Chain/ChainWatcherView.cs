namespace Grid.Contracts.Chain;

/// <summary>Where a chain watcher is.</summary>
/// <param name="Cursor">The last block scanned, or null before the first scan.</param>
/// <param name="Head">The chain head at the last scan.</param>
/// <param name="LogRange">Blocks per eth_getLogs request now (shrinks on provider limits, grows when quiet).</param>
/// <param name="Tracked">Deposits in blocks still inside the reorg window.</param>
/// <param name="Reorgs">Reorgs seen since the watcher's state was created.</param>
/// <param name="Reversals">Credited deposits reversed after a reorg deeper than the confirmations.</param>
/// <param name="Pending">Followed deposits their payment is not done with yet (waiting for confirmations).</param>
public sealed record ChainWatcherView(
    ulong ChainId,
    ulong? Cursor,
    ulong Head,
    ulong LogRange,
    int Tracked,
    long Reorgs,
    long Reversals,
    string? LastError,
    int Pending = 0);
