using Grid.Runtime;
using Grid.Runtime.Tests.Support;

namespace Grid.Runtime.Tests.Grains;

internal sealed class SlowDeactivationGrain(ConcurrencyProbe probe) : Grain, ISlowDeactivationGrain
{
    public static readonly TimeSpan DeactivationTakes = TimeSpan.FromSeconds(2);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.For(GrainId).EnterActivation();
        return Task.CompletedTask;
    }

    public Task Touch() => Task.CompletedTask;

    public Task Leave()
    {
        Context.DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await Task.Delay(DeactivationTakes, CancellationToken.None);
        probe.For(GrainId).ExitActivation();
    }
}
