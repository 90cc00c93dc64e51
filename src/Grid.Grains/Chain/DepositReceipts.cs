using Grid.Chain.Primitives;
using Grid.Contracts.Chain;

namespace Grid.Grains.Chain;

/// <inheritdoc cref="IDepositReceipts"/>
/// <remarks>
/// At most <see cref="MaxConcurrentReads"/> reads at once on a silo: anyone may send hints, and the node's quota is the
/// watcher's too. A hint past the bound is not read (false): it is only a hint, and the scan finds the deposit anyway.
/// </remarks>
public sealed class DepositReceipts(ChainCatalog catalog, DepositLogReader reader) : IDepositReceipts, IDisposable
{
    public const int MaxConcurrentReads = 8;

    private readonly SemaphoreSlim _reads = new(MaxConcurrentReads);

    public async Task<bool> HoldsDepositsAsync(ulong chainId, string transactionHash, CancellationToken cancellationToken)
    {
        if (!Hash32.TryParse(transactionHash, out var hash))
        {
            throw new ArgumentException("Not a transaction hash.", nameof(transactionHash));
        }

        if (catalog.Find(chainId) is not { } chain || !_reads.Wait(0, CancellationToken.None))
        {
            return false;
        }

        try
        {
            var receipt = await chain.Rpc.GetTransactionReceiptAsync(hash, cancellationToken);
            return receipt is not null && reader.FromReceipt(chain, receipt).Count > 0;
        }
        finally
        {
            _reads.Release();
        }
    }

    public void Dispose() => _reads.Dispose();
}
