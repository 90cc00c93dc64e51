using Grid.Chain.Addresses;
using Grid.Chain.Primitives;

namespace Grid.Chain.Rpc;

/// <summary>
/// The Ethereum JSON-RPC reads a chain watcher makes. Failures are <see cref="ChainRpcException"/>s; the
/// retryable ones have already been retried when they reach the caller.
/// </summary>
public interface IEthereumRpc
{
    /// <summary>eth_chainId.</summary>
    Task<ulong> GetChainIdAsync(CancellationToken cancellationToken);

    /// <summary>eth_blockNumber: the number of the node's head block.</summary>
    Task<ulong> GetBlockNumberAsync(CancellationToken cancellationToken);

    /// <summary>eth_getBlockByNumber without transactions; null when the node has no such block.</summary>
    Task<ChainBlock?> GetBlockAsync(BlockTag tag, CancellationToken cancellationToken);

    /// <summary>
    /// Several blocks by number in one batched request (split in batches of at most
    /// <see cref="EthereumRpcOptions.MaxBatchSize"/>); in the order asked, null where the node has no block.
    /// </summary>
    Task<IReadOnlyList<ChainBlock?>> GetBlocksAsync(IReadOnlyList<ulong> numbers, CancellationToken cancellationToken);

    /// <summary>eth_getLogs. A range the node finds too large is a <see cref="RpcFailureKind.RangeTooLarge"/> failure, never retried.</summary>
    Task<IReadOnlyList<ChainLog>> GetLogsAsync(LogFilter filter, CancellationToken cancellationToken);

    /// <summary>
    /// eth_getBlockReceipts: every receipt of the block with that hash, in order; null when the node has no such block. For a
    /// block whose matching logs are more than a node gives in one eth_getLogs answer.
    /// </summary>
    Task<IReadOnlyList<TransactionReceipt>?> GetBlockReceiptsAsync(Hash32 blockHash, CancellationToken cancellationToken);

    /// <summary>eth_getTransactionReceipt; null when the node knows no mined transaction with that hash.</summary>
    Task<TransactionReceipt?> GetTransactionReceiptAsync(Hash32 transactionHash, CancellationToken cancellationToken);

    /// <summary>eth_call: what <paramref name="to"/> returns for <paramref name="data"/> at <paramref name="tag"/>; empty for an address without code.</summary>
    Task<byte[]> CallAsync(EthereumAddress to, ReadOnlyMemory<byte> data, BlockTag tag, CancellationToken cancellationToken);
}
