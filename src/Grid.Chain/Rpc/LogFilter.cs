using Grid.Chain.Addresses;
using Grid.Chain.Primitives;

namespace Grid.Chain.Rpc;

/// <summary>
/// An eth_getLogs query over blocks <paramref name="FromBlock"/> to <paramref name="ToBlock"/> inclusive.
/// <paramref name="Addresses"/>: logs from any of them (empty: from any contract). <paramref name="Topics"/>:
/// position i matches any of the listed topics, or anything when null; positions past the end match anything.
/// </summary>
public sealed record LogFilter(
    ulong FromBlock,
    ulong ToBlock,
    IReadOnlyList<EthereumAddress> Addresses,
    IReadOnlyList<IReadOnlyList<Hash32>?> Topics)
{
    /// <summary>
    /// Asks for the logs of this one block instead of a range (the block numbers then only describe it): a node that
    /// does not have the block answers an error, never an empty list.
    /// </summary>
    public Hash32? BlockHash { get; init; }
}
