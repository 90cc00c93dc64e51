namespace Grid.Chain.TestKit.Proxy;

/// <summary>
/// While not released, <see cref="FaultyRpcProxy"/> answers as a load-balanced provider's backend that is still at
/// <see cref="Head"/>: eth_blockNumber says <see cref="Head"/>, and eth_getBlockByNumber of a later block answers null.
/// <see cref="Answered"/> counts the eth_blockNumber answers it changed (one a watcher tick).
/// </summary>
public sealed class HeadLag(long head) : ProxyHold
{
    private int _answered;

    public long Head { get; } = head;

    public int Answered => Volatile.Read(ref _answered);

    internal void CountAnswer()
    {
        Interlocked.Increment(ref _answered);
        MarkCaught();
    }
}
