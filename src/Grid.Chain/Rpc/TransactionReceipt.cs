using Grid.Chain.Addresses;
using Grid.Chain.Primitives;

namespace Grid.Chain.Rpc;

/// <summary>
/// The receipt of a mined transaction. <paramref name="Succeeded"/> is the status field (EIP-658);
/// <paramref name="To"/> is null for a contract creation.
/// </summary>
public sealed record TransactionReceipt(
    Hash32 TransactionHash,
    ulong BlockNumber,
    Hash32 BlockHash,
    bool Succeeded,
    EthereumAddress From,
    EthereumAddress? To,
    IReadOnlyList<ChainLog> Logs);
