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
    public async Task A_tick_that_finds_the_mailbox_full_is_skipped_and_the_timer_keeps_ticking()
    {
        await using var silo = await TestSilo.StartAsync(options: o => o.MaxPendingRequestsPerActivation = 1);
        var grain = silo.Grains.GetGrain<IBusyTimerGrain>("full");
        await grain.Arm(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));

        // One call runs, one waits in the only pending slot: a tick due now finds no room. Thrown on the timer's
        // thread, it ended the test host's process.
        var running = grain.Hold(TimeSpan.FromSeconds(1));
        var waiting = grain.Hold(TimeSpan.FromMilliseconds(1));
        await Task.WhenAll(running, waiting);

        var after = await grain.Ticks();
        await Eventually.TrueAsync(() => grain.Ticks().Result >= after + 3, "three more ticks");
    }

    [Fact]
    public async Task A_tick_waiting_in_the_mailbox_when_its_timer_is_disposed_never_runs()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IBusyTimerGrain>("disposed");
        // The tick comes due while the call runs and waits behind it; the call disposes the timer: "no more ticks".
        await grain.ArmHoldThenDisarm(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(300));
        await Task.Delay(200);
        Assert.Equal(0, await grain.Ticks());
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
    public async Task A_timer_registered_in_OnActivateAsync_that_comes_due_while_activating_ticks_once_active()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IActivationTimerGrain>("a");

        // The first tick is due 200 ms before the activation is done: it waits for it, and the timer goes on.
        await Eventually.TrueAsync(() => grain.Ticks().Result >= 3, "three ticks");
    }

    [Fact]
    public async Task A_tick_waiting_on_an_activation_that_deactivates_ends_with_it_and_never_runs_on_the_next()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IActivationTimerGrain>("leaving");

        // The first activation is asked to leave while activating, with its first tick waiting; the call goes on to a
        // second activation, whose own timer ticks. The first one's tick must not follow the call there.
        await Eventually.TrueAsync(() => grain.Ticks().Result >= 3, "three ticks of the second activation");
        var id = grain.GetGrainId();
        Assert.Equal(2, silo.Get<ActivationLog>().ActivationsOf(id));
        Assert.Equal(0, silo.Get<TimerTickLog>().LateTicksOf(id));
    }
}
