namespace Grid.Client.Tests.Transport;

/// <summary>One per silo: lets a test see a gated call arrive and decide when it may finish.</summary>
public sealed class CallProbeGate
{
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Opened { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
