using Grid.Runtime;
using Grid.Runtime.Tests.Support;

namespace Grid.Runtime.Tests.Grains;

/// <summary>A test grain that reports its activations and deactivations to the <see cref="ActivationLog"/>.</summary>
internal abstract class LoggedGrain(ActivationLog log) : Grain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        log.Activated(GrainId);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        log.Deactivated(GrainId, reason);
        return Task.CompletedTask;
    }
}
