namespace Grid.Chain.TestKit.Proxy;

/// <summary>
/// Holds every eth_getLogs request reaching <see cref="FaultyRpcProxy"/> that reads from <see cref="FromBlock"/> or
/// later, before it goes to the node, until <see cref="Release"/>: a scan is stopped at a known block, so a test
/// can cut it there (kill the reader, stop the node) however fast the machine runs it.
/// </summary>
public sealed class LogRequestGate(long fromBlock)
{
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long FromBlock { get; } = fromBlock;

    /// <summary>Completes once a request is being held: the reader has read every block before <see cref="FromBlock"/>.</summary>
    public Task Held => _held.Task;

    public bool IsReleased => _released.Task.IsCompleted;

    /// <summary>Lets the held requests (and any later ones) go on.</summary>
    public void Release() => _released.TrySetResult();

    internal Task WaitAsync(CancellationToken cancellationToken)
    {
        _held.TrySetResult();
        return _released.Task.WaitAsync(cancellationToken);
    }
}
