using Grid.Runtime.Placement;
using Grid.Runtime.Tests.Grains;
using Grid.Runtime.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Grid.Runtime.Tests;

/// <summary>An activation added after the view moved its grain away (the sweep that would catch it ran already).</summary>
public sealed class OwnershipRaceTests
{
    [Fact]
    public async Task An_activation_added_after_its_grain_moved_away_deactivates_and_its_call_goes_to_the_owner()
    {
        var remote = new RecordingRemoteInvoker();
        await using var silo = await TestSilo.StartAsync(services =>
        {
            services.AddSingleton<IGrainPlacement, MovingPlacement>();
            services.AddSingleton<IRemoteGrainInvoker>(remote);
        });
        var grain = silo.Grains.GetGrain<ICounterGrain>("moved", new GrainCallOptions(TimeSpan.FromSeconds(2)));

        // Never run here, where it would be a second activation beside the owner's: sent on to the owner, which (a
        // stand-in) never answers.
        await Assert.ThrowsAsync<GrainCallTimeoutException>(() => grain.Increment(1));
        Assert.Equal([grain.GetGrainId()], remote.Sent);
        var log = silo.Get<ActivationLog>();
        await Eventually.TrueAsync(() => log.DeactivationsOf(grain.GetGrainId()).Contains(DeactivationReason.NotOwner), "the activation gone as not owned");
        Assert.Equal(0, silo.Runtime.ActivationCount);
    }
}
