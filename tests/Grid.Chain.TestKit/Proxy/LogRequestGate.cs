namespace Grid.Chain.TestKit.Proxy;

/// <summary>
/// Holds every eth_getLogs request reaching <see cref="FaultyRpcProxy"/> that reads from <see cref="FromBlock"/> or
/// later, before it goes to the node, until <see cref="ProxyHold.Release"/>: a scan is stopped at a known block, so a
/// test can cut it there (kill the reader, stop the node) however fast the machine runs it. <see cref="ProxyHold.Held"/>
/// completes once the reader has read every block before <see cref="FromBlock"/> and asks for the next.
/// </summary>
public sealed class LogRequestGate(long fromBlock) : ProxyHold
{
    public long FromBlock { get; } = fromBlock;
}
