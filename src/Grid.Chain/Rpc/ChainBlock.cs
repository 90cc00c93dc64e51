using Grid.Chain.Primitives;

namespace Grid.Chain.Rpc;

/// <summary>The header fields of a block a chain watcher needs: where it is, what it links to, and when.</summary>
public sealed record ChainBlock(ulong Number, Hash32 Hash, Hash32 ParentHash, DateTimeOffset Timestamp);
