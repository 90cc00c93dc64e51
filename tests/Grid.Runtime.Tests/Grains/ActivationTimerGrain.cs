using Grid.Runtime;
using Grid.Runtime.Tests.Support;

namespace Grid.Runtime.Tests.Grains;

/// <summary>
/// Starts its timer in OnActivateAsync, due at once (as a grain that must tick from its first activation on), then
/// holds its activation at the <see cref="Gate"/> so a test can make the first tick fall due while it activates.
/// </summary>
internal sealed class ActivationTimerGrain(Gate gate, ActivationLog log) : Grain, IActivationTimerGrain
{
    private int _ticks;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Context.RegisterTimer(
            _ =>
            {
                _ticks++;
                return Task.CompletedTask;
            },
            TimeSpan.Zero,
            TimeSpan.FromSeconds(1));
        log.Activated(GrainId);
        await gate.WaitAsync();
    }

    public Task<int> Ticks() => Task.FromResult(_ticks);
}
