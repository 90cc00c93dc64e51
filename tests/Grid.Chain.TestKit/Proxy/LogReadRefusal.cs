namespace Grid.Chain.TestKit.Proxy;

/// <summary>
/// While not released, every eth_getLogs request reaching <see cref="FaultyRpcProxy"/> that would read
/// <see cref="FromBlock"/> or a later block is answered with a JSON-RPC error, at once: a scan cannot get past the
/// block before it, yet the reader stays free to do anything else between its failed tries.
/// <see cref="ProxyHold.Held"/> completes at the first refusal.
/// </summary>
public sealed class LogReadRefusal(long fromBlock) : ProxyHold
{
    public long FromBlock { get; } = fromBlock;
}
