using Grid.Runtime;
using Grid.Runtime.Tests.Support;

namespace Grid.Runtime.Tests.Grains;

/// <summary>Its first activation never ends and ignores its token (a read that hangs for good); later ones are quick.</summary>
internal sealed class StuckActivationGrain(StuckActivations stuck) : Grain, IStuckActivationGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken) =>
        stuck.IsFirst(GrainId) ? stuck.HangAsync() : Task.CompletedTask;

    public Task Touch() => Task.CompletedTask;
}
