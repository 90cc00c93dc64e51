using Grid.Runtime.Tests.Grains;
using Grid.Runtime.Tests.Support;
using Xunit;

namespace Grid.Runtime.Tests;

public sealed class IdleCollectionTests
{
    [Fact]
    public async Task Activation_is_collected_after_the_idle_limit_and_not_before()
    {
        var clock = new ManualTimeProvider();
        await using var silo = await StartCollectingAsync(clock);
        var grain = silo.Grains.GetGrain<ICounterGrain>("idle");
        var id = grain.GetGrainId();
        await grain.Increment(1);
        var log = silo.Get<ActivationLog>();

        clock.Advance(TimeSpan.FromMinutes(10));
        await grain.Increment(1); // use restarts the idle clock
        clock.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        Assert.Empty(log.DeactivationsOf(id)); // never before the idle limit
        Assert.Equal(1, silo.Runtime.ActivationCount);

        // Calls do not read the clock; the collector notices use once per quantum, so collection
        // comes at most one quantum after the limit.
        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => log.DeactivationsOf(id).Count == 1, "idle collection");
        Assert.Equal([DeactivationReason.IdleCollected], log.DeactivationsOf(id));
        await Eventually.TrueAsync(() => silo.Runtime.ActivationCount == 0, "catalog emptied");
    }

    [Fact]
    public async Task Timer_ticks_alone_do_not_keep_an_activation_from_being_collected()
    {
        var clock = new ManualTimeProvider();
        await using var silo = await StartCollectingAsync(clock);
        var grain = silo.Grains.GetGrain<IActivationTimerGrain>("ticking");
        var id = grain.GetGrainId();
        await grain.Ticks();
        var ticks = silo.Get<TimerTickLog>();

        // The first tick (due at once) runs on the pool and arms the next: it is seen before the clock moves in minutes.
        await Eventually.TrueAsync(
            () =>
            {
                clock.Advance(TimeSpan.FromMilliseconds(20));
                return ticks.TicksOf(id) > 1;
            },
            "the timer running");

        // A minute at a time: the timer (synchronous ticks, which take the fast path) fires at every step until the
        // activation goes (its timer with it).
        for (var minute = 0; minute < 17 && silo.Runtime.ActivationCount > 0; minute++)
        {
            var before = ticks.TicksOf(id);
            clock.Advance(TimeSpan.FromMinutes(1));
            await Eventually.TrueAsync(() => ticks.TicksOf(id) > before || silo.Runtime.ActivationCount == 0, "a tick");
        }

        await Eventually.TrueAsync(() => silo.Runtime.ActivationCount == 0, "idle collection despite the ticks");
        Assert.True(ticks.TicksOf(id) >= 14 * 3_000, $"ticks every 20 ms for the idle minutes, not {ticks.TicksOf(id)}");
    }

    /// <summary>A silo that collects what was idle 15 minutes, looking every minute of <paramref name="clock"/>.</summary>
    private static Task<TestSilo> StartCollectingAsync(ManualTimeProvider clock) =>
        TestSilo.StartAsync(time: clock, options: o =>
        {
            o.CollectionAge = TimeSpan.FromMinutes(15);
            o.CollectionQuantum = TimeSpan.FromMinutes(1);
        });

    [Fact]
    public async Task Busy_activation_is_not_collected()
    {
        var clock = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(time: clock, options: o =>
        {
            o.CollectionAge = TimeSpan.FromMinutes(2);
            o.ResponseTimeout = TimeSpan.FromHours(1);
        });
        var grain = silo.Grains.GetGrain<IHangingGrain>("busy");
        var call = grain.Block();
        await Eventually.TrueAsync(() => silo.Runtime.ActivationCount == 1, "activation");

        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, silo.Runtime.ActivationCount);
        silo.Get<Gate>().Open();
        await call;
    }
}
