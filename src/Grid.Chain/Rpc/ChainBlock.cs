using Grid.Chain.Primitives;

namespace Grid.Chain.Rpc;

/// <summary>The header fields of a block a chain watcher needs: where it is, what it links to, and when.</summary>
/// <param name="LogsBloom">What logs the block may hold (null when the node left it out): a check on its eth_getLogs answers.</param>
public sealed record ChainBlock(ulong Number, Hash32 Hash, Hash32 ParentHash, DateTimeOffset Timestamp, LogsBloom? LogsBloom = null);
