using Grid.Runtime;
using Grid.Runtime.Tests.Support;

namespace Grid.Runtime.Tests.Grains;

/// <summary>
/// Registers a timer due at once in OnActivateAsync and only then finishes activating, so the first tick comes
/// while the activation is still activating (as a watcher that starts scanning on activation does). A key starting
/// with "leaving" asks, in its first activation, to be deactivated as soon as it is active.
/// </summary>
internal sealed class ActivationTimerGrain(ActivationLog activations, TimerTickLog ticks) : Grain, IActivationTimerGrain
{
    private static readonly TimeSpan StillActivating = TimeSpan.FromMilliseconds(200);

    private IDisposable? _timer;
    private bool _deactivated;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        activations.Activated(GrainId);
        _timer = Context.RegisterTimer(
            _ =>
            {
                ticks.Ticked(GrainId, _deactivated);
                return Task.CompletedTask;
            },
            TimeSpan.Zero,
            TimeSpan.FromMilliseconds(20));
        if (GrainId.Key.StartsWith("leaving", StringComparison.Ordinal) && activations.ActivationsOf(GrainId) == 1)
        {
            Context.DeactivateOnIdle();
        }

        await Task.Delay(StillActivating, cancellationToken);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _deactivated = true;
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public Task<int> Ticks() => Task.FromResult(ticks.TicksOf(GrainId));
}
