using Grid.Runtime;
using Grid.Runtime.Tests.Support;

namespace Grid.Runtime.Tests.Grains;

internal sealed class MixedGrain(ConcurrencyProbe probe, ActivationLog log) : Grain, IMixedGrain
{
    private long _total;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        log.Activated(GrainId);
        probe.For(GrainId).EnterActivation();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.For(GrainId).ExitActivation();
        log.Deactivated(GrainId, reason);
        return Task.CompletedTask;
    }

    public Task<long> Step(int mode) => mode switch
    {
        0 => Task.FromResult(Sync()),
        1 => OnGrainThreadAsync(),
        2 => OffGrainThreadAsync(),
        _ => AcrossRealWaitAsync(),
    };

    public Task<long> Total() => Task.FromResult(_total);

    public Task Leave()
    {
        Context.DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private long Sync()
    {
        var counters = probe.For(GrainId);
        counters.EnterCall();
        var value = ++_total;
        counters.ExitCall();
        return value;
    }

    private async Task<long> OnGrainThreadAsync()
    {
        var counters = probe.For(GrainId);
        counters.EnterCall();
        await Task.Yield();
        var value = ++_total;
        counters.ExitCall();
        return value;
    }

    // The executor goes idle during the wait while the call is still running: nothing else may start.
    private async Task<long> AcrossRealWaitAsync()
    {
        var counters = probe.For(GrainId);
        counters.EnterCall();
        await Task.Delay(1);
        var value = ++_total;
        counters.ExitCall();
        return value;
    }

    private async Task<long> OffGrainThreadAsync()
    {
        var counters = probe.For(GrainId);
        counters.EnterCall();
        var value = ++_total;
        counters.ExitCall();
        // The call (and so the turn) ends on a pool thread, possibly before the runtime has let go of it.
        await Task.Run(static () => { }).ConfigureAwait(false);
        return value;
    }
}
