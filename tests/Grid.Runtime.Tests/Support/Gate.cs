namespace Grid.Runtime.Tests.Support;

/// <summary>Lets a test hold grain calls until it opens the gate.</summary>
internal sealed class Gate
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task WaitAsync() => _open.Task;

    public void Open() => _open.TrySetResult();
}
