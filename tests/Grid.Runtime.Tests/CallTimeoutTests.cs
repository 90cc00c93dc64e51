using System.Diagnostics;
using Grid.Runtime.Tests.Grains;
using Grid.Runtime.Tests.Support;
using Xunit;

namespace Grid.Runtime.Tests;

public sealed class CallTimeoutTests
{
    [Fact]
    public async Task Call_cycle_between_non_reentrant_grains_fails_within_the_timeout_and_names_the_cycle()
    {
        await using var silo = await TestSilo.StartAsync(options: o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
        var a = silo.Grains.GetGrain<ICycleGrain>("a");
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<GrainCallCycleException>(() => a.Relay(["b", "a"], 0));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.IsAssignableFrom<TimeoutException>(error);
        Assert.Equal(["cycle/a.Relay", "cycle/b.Relay", "cycle/a.Relay"], error.Cycle);
        Assert.Contains("cycle/a.Relay -> cycle/b.Relay -> cycle/a.Relay", error.Message);

        // Both grains are free again afterwards.
        Assert.Equal("c", await a.Relay(["b", "c"], 0));
    }

    [Fact]
    public async Task Longer_cycles_are_found_too()
    {
        await using var silo = await TestSilo.StartAsync();
        var error = await Assert.ThrowsAsync<GrainCallCycleException>(() => silo.Grains.GetGrain<ICycleGrain>("x").Relay(["y", "z", "y"], 0));
        Assert.Equal(["cycle/y.Relay", "cycle/z.Relay", "cycle/y.Relay"], error.Cycle); // the cycle itself, not the way in
    }

    [Fact]
    public async Task Call_without_answer_times_out_naming_grain_and_method()
    {
        var clock = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(time: clock, options: o => o.ResponseTimeout = TimeSpan.FromSeconds(30));
        var call = silo.Grains.GetGrain<IHangingGrain>("h").Hang();
        await Eventually.TrueAsync(() => silo.Runtime.ActivationCount == 1, "activation");

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(call.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<GrainCallTimeoutException>(() => call);
        Assert.Contains("hanging/h.Hang", error.Message);
        Assert.Contains("30 s", error.Message);
    }

    [Fact]
    public async Task Method_attribute_and_reference_options_override_the_default_timeout()
    {
        var clock = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(time: clock);
        var brief = silo.Grains.GetGrain<IHangingGrain>("a").HangBriefly();
        var custom = silo.Grains.GetGrain<IHangingGrain>("b", new GrainCallOptions(TimeSpan.FromSeconds(2))).Hang();
        await Eventually.TrueAsync(() => silo.Runtime.ActivationCount == 2, "activations");

        clock.Advance(TimeSpan.FromSeconds(0.3));
        await Assert.ThrowsAsync<GrainCallTimeoutException>(() => brief);
        Assert.False(custom.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1.7));
        await Assert.ThrowsAsync<GrainCallTimeoutException>(() => custom);
    }

    [Fact]
    public void A_reference_s_timeout_is_from_a_millisecond_to_a_day()
    {
        // It is sent to the silo that owns the grain, in whole milliseconds, as the time the call may still run there.
        Assert.Throws<ArgumentOutOfRangeException>(() => new GrainCallOptions(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GrainCallOptions(TimeSpan.FromTicks(9_999)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GrainCallOptions(TimeSpan.FromDays(1) + TimeSpan.FromTicks(1)));
        Assert.Equal(TimeSpan.FromDays(1), new GrainCallOptions(TimeSpan.FromDays(1)).ResponseTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(1), new GrainCallOptions(TimeSpan.FromMilliseconds(1)).ResponseTimeout);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GrainCallOptions(Timeout.InfiniteTimeSpan));
        Assert.Throws<ArgumentOutOfRangeException>(() => GrainCallOptions.Default with { ResponseTimeout = TimeSpan.FromSeconds(-3) });
        Assert.Equal(TimeSpan.FromSeconds(2), new GrainCallOptions(TimeSpan.FromSeconds(2)).ResponseTimeout);
        Assert.Null(GrainCallOptions.Default.ResponseTimeout);
    }

    [Fact]
    public async Task Call_that_timed_out_while_waiting_in_the_mailbox_is_never_run()
    {
        var clock = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(time: clock);
        var grain = silo.Grains.GetGrain<IHangingGrain>("q");
        var blocker = grain.Block();
        await Eventually.TrueAsync(() => silo.Runtime.ActivationCount == 1, "activation");
        var queued = silo.Grains.GetGrain<IHangingGrain>("q", new GrainCallOptions(TimeSpan.FromSeconds(1))).Answer();

        clock.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<GrainCallTimeoutException>(() => queued);
        silo.Get<Gate>().Open();
        await blocker;

        Assert.Equal(1, await grain.Answer()); // the abandoned call never ran
    }
}
