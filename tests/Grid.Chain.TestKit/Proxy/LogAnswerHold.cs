namespace Grid.Chain.TestKit.Proxy;

/// <summary>
/// One eth_getLogs answer kept back by <see cref="FaultyRpcProxy"/>: read from the node at once, handed to the caller only
/// on <see cref="Release"/>, so a test can change the chain between the node's answer and the caller's next request.
/// </summary>
public sealed class LogAnswerHold
{
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once an answer is being held.</summary>
    public Task Held => _held.Task;

    public void Release() => _released.TrySetResult();

    internal Task WaitAsync(CancellationToken cancellationToken)
    {
        _held.TrySetResult();
        return _released.Task.WaitAsync(cancellationToken);
    }
}
