namespace Grid.Chain.TestKit.Proxy;

/// <summary>
/// While not released, <see cref="FaultyRpcProxy"/> answers eth_getLogs over a block range as a load-balanced
/// provider's backend that has not indexed <see cref="FromBlock"/> and later yet: the node's answer without the logs
/// of those blocks (block headers still come from the node as they are). A read of one block's logs by its hash comes
/// from the node too, unless <see cref="BlocksMissing"/>: then that backend lacks the blocks themselves, and a read by
/// the hash of one of them fails while older blocks still read (<see cref="BlockReadsRefused"/> counts the failures).
/// <see cref="ProxyHold.Held"/> completes at the first range read that reached <see cref="FromBlock"/>.
/// </summary>
public sealed class LogsLag(long fromBlock, bool blocksMissing) : ProxyHold
{
    private long _blockReadsRefused;

    public long FromBlock { get; } = fromBlock;

    public bool BlocksMissing { get; } = blocksMissing;

    public long BlockReadsRefused => Interlocked.Read(ref _blockReadsRefused);

    internal void CountRefusedBlockRead() => Interlocked.Increment(ref _blockReadsRefused);
}
