using Grid.Chain.Primitives;
using Grid.Contracts.Chain;

namespace Grid.Grains.Chain;

/// <inheritdoc cref="IDepositReceipts"/>
public sealed class DepositReceipts(ChainCatalog catalog, DepositLogReader reader) : IDepositReceipts
{
    public async Task<bool> HoldsDepositsAsync(ulong chainId, string transactionHash, CancellationToken cancellationToken)
    {
        if (!Hash32.TryParse(transactionHash, out var hash))
        {
            throw new ArgumentException("Not a transaction hash.", nameof(transactionHash));
        }

        if (catalog.Find(chainId) is not { } chain)
        {
            return false;
        }

        var receipt = await chain.Rpc.GetTransactionReceiptAsync(hash, cancellationToken);
        return receipt is not null && reader.FromReceipt(chain, receipt).Count > 0;
    }
}
