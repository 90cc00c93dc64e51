namespace Grid.Chain.TestKit.Proxy;

/// <summary>
/// While not released, <see cref="FaultyRpcProxy"/> answers as a load-balanced provider's backend that is still at
/// <see cref="Head"/>: eth_blockNumber says <see cref="Head"/>, and eth_getBlockByNumber of a later block answers null.
/// <see cref="Answered"/> counts the eth_blockNumber answers it changed (one a watcher tick).
/// </summary>
public sealed class HeadLag(long head) : ProxyHold
{
    private int _answered;
    private long _head = head;

    public long Head => Interlocked.Read(ref _head);

    public int Answered => Volatile.Read(ref _answered);

    /// <summary>Answers as a backend at <paramref name="head"/> from the next call on, without a moment of the node's own head between.</summary>
    public void MoveTo(long head) => Interlocked.Exchange(ref _head, head);

    internal void CountAnswer()
    {
        Interlocked.Increment(ref _answered);
        MarkCaught();
    }
}
