namespace Grid.Client.Tests.Transport;

/// <summary>One per silo: lets a test see a gated call arrive and decide when it may finish, and count the echoes run.</summary>
public sealed class CallProbeGate
{
    private int _echoes;

    public int Echoes => Volatile.Read(ref _echoes);

    public void CountEcho() => Interlocked.Increment(ref _echoes);

    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Opened { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
