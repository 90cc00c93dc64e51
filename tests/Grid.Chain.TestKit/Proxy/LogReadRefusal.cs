namespace Grid.Chain.TestKit.Proxy;

/// <summary>
/// While not released, every eth_getLogs request reaching <see cref="FaultyRpcProxy"/> that would read
/// <see cref="FromBlock"/> or a later block is answered with a JSON-RPC error, at once: a scan cannot get past the
/// block before it, yet the reader stays free to do anything else between its failed tries.
/// <see cref="ProxyHold.Held"/> completes at the first refusal; <see cref="Refused"/> counts them.
/// </summary>
public sealed class LogReadRefusal(long fromBlock) : ProxyHold
{
    private long _refused;

    public long FromBlock { get; } = fromBlock;

    public long Refused => Interlocked.Read(ref _refused);

    internal void CountRefusal()
    {
        Interlocked.Increment(ref _refused);
        MarkCaught();
    }
}
