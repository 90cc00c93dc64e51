namespace Grid.Chain.TestKit.Proxy;

/// <summary>
/// While not released, <see cref="FaultyRpcProxy"/> answers eth_getLogs over a block range as a load-balanced
/// provider's backend that has not indexed <see cref="FromBlock"/> and later yet: the node's answer without the logs
/// of those blocks (a read of one block by its hash, and block headers, still come from the node as they are).
/// <see cref="ProxyHold.Held"/> completes at the first range read that reached <see cref="FromBlock"/>.
/// </summary>
public sealed class LogsLag(long fromBlock) : ProxyHold
{
    public long FromBlock { get; } = fromBlock;
}
