using Grid.Chain.Addresses;
using Grid.Chain.Primitives;

namespace Grid.Chain.Rpc;

/// <summary>
/// One event log as eth_getLogs and receipts give it. <paramref name="Removed"/> is true when the node reports
/// the log as undone by a reorg (only filters that follow the chain do).
/// </summary>
public sealed record ChainLog(
    EthereumAddress Address,
    IReadOnlyList<Hash32> Topics,
    byte[] Data,
    ulong BlockNumber,
    Hash32 BlockHash,
    Hash32 TransactionHash,
    uint TransactionIndex,
    uint LogIndex,
    bool Removed);
