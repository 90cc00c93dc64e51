namespace Grid.Contracts.Chain;

/// <summary>
/// Reads a hinted transaction's receipt in the hinting request itself, outside every grain: a hint that names no
/// deposit (a typo, junk, someone else's transfer) then costs the chain's watcher nothing, as only a receipt holding
/// deposits to the grid is handed on to <see cref="IChainWatcherGrain.CheckTransaction"/>, which reads it again.
/// </summary>
public interface IDepositReceipts
{
    /// <summary>
    /// Whether the transaction, as the chain's node has it now, succeeded and holds deposits to the grid; false for a
    /// chain not configured here and for a transaction the node has no receipt of.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="transactionHash"/> is not 0x and 64 hex digits.</exception>
    Task<bool> HoldsDepositsAsync(ulong chainId, string transactionHash, CancellationToken cancellationToken);
}
