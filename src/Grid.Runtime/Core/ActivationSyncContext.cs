namespace Grid.Runtime.Core;

/// <summary>
/// Installed while grain code runs, so that an await inside a grain resumes on the activation's
/// executor: the activation's code never runs on two threads at once, reentrant or not.
/// Non-reentrant activations share one (their running request is unique); reentrant ones get one per request.
/// </summary>
internal sealed class ActivationSyncContext(ActivationData activation, GrainCall? request) : SynchronizationContext
{
    public ActivationData Activation { get; } = activation;

    /// <summary>The request whose code is running, for call-chain tracking.</summary>
    public GrainCall? Request => request ?? Activation.CurrentRequest;

    public override void Post(SendOrPostCallback d, object? state) => Activation.Post(d, state, this);

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Blocking on a grain's own thread would deadlock the activation; await instead.");

    public override SynchronizationContext CreateCopy() => this;
}
