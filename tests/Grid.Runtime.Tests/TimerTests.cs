using Grid.Runtime.Tests.Grains;
using Grid.Runtime.Tests.Support;
using Xunit;

namespace Grid.Runtime.Tests;

public sealed class TimerTests
{
    [Fact]
    public async Task Timer_ticks_run_as_grain_turns_and_never_overlap()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<ITimerGrain>("t");

        // Period far shorter than a tick: overlapping ticks would show at once.
        await grain.Start(TimeSpan.FromMilliseconds(1), tickAwaits: 3);
        await Eventually.TrueAsync(() => grain.Report().Result.Ticks >= 10, "ten ticks");

        var report = await grain.Report();
        Assert.Equal(1, report.MaxConcurrentTicks);
    }

    [Fact]
    public async Task Timer_follows_the_controlled_clock()
    {
        var clock = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(time: clock);
        var grain = silo.Grains.GetGrain<ITimerGrain>("c");
        await grain.Start(TimeSpan.FromSeconds(10), tickAwaits: 0);

        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, (await grain.Report()).Ticks);
        clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => grain.Report().Result.Ticks == 1, "first tick");
        clock.Advance(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => grain.Report().Result.Ticks == 2, "second tick");
    }

    [Fact]
    public async Task A_timer_started_while_the_grain_activates_ticks_once_the_activation_is_done()
    {
        var clock = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(time: clock);
        var grain = silo.Grains.GetGrain<IActivationTimerGrain>("early");
        var id = grain.GetGrainId();
        var firstCall = grain.Ticks(); // activates it: the timer starts, then the activation waits at the gate
        await Eventually.TrueAsync(() => silo.Get<ActivationLog>().ActivationsOf(id) == 1, "the timer started in OnActivateAsync");

        clock.Advance(TimeSpan.Zero); // the first tick falls due while the grain is still activating
        silo.Get<Gate>().Open();
        await firstCall;
        await Eventually.TrueAsync(async () => await grain.Ticks() == 1, "the tick that fell due during the activation, run after it");
        clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(async () => await grain.Ticks() == 2, "the next tick, a period later");
    }
}
