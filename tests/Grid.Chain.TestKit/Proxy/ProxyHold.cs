namespace Grid.Chain.TestKit.Proxy;

/// <summary>
/// Something <see cref="FaultyRpcProxy"/> keeps waiting until the test releases it; <see cref="Held"/> tells the test
/// it has caught something.
/// </summary>
public abstract class ProxyHold
{
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once something is being held.</summary>
    public Task Held => _held.Task;

    public bool IsReleased => _released.Task.IsCompleted;

    /// <summary>Lets what is held (and anything later) go on.</summary>
    public void Release() => _released.TrySetResult();

    internal Task WaitAsync(CancellationToken cancellationToken)
    {
        MarkCaught();
        return _released.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Something was caught (and dealt with at once, not kept waiting).</summary>
    internal void MarkCaught() => _held.TrySetResult();
}
