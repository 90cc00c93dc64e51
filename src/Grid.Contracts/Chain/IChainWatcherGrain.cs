using Grid.Runtime;

namespace Grid.Contracts.Chain;

/// <summary>
/// The watcher of one configured chain (key: chain id). It scans the deposit contract's events and token transfers
/// to the treasury, waits for confirmations, follows reorgs, and tells each payment what it saw. It runs on its
/// own timer while active; a reminder brings it back after a restart or a failover.
/// </summary>
public interface IChainWatcherGrain : IGrainWithStringKey
{
    /// <summary>Activates the watcher (starting its timer and reminder) and returns where it is.</summary>
    Task<ChainWatcherView> Start();

    /// <summary>
    /// A client's hint that a transaction pays the grid: the watcher reads its receipt now and reports what it finds
    /// to the payments as sightings, never as proof; credits still wait for the scan to confirm the block.
    /// </summary>
    Task<int> CheckTransaction(string transactionHash);

    [Idempotent]
    Task<ChainWatcherView> Get();
}
