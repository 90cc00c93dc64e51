using Grid.Runtime.Tests.Grains;
using Grid.Runtime.Tests.Support;
using Xunit;

namespace Grid.Runtime.Tests;

public sealed class SchedulingTests
{
    [Fact]
    public async Task Non_reentrant_grain_never_runs_two_calls_at_once()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IProbeGrain>("exclusive");

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => grain.Work(awaits: 3))));

        var counters = silo.Get<ConcurrencyProbe>().For(grain.GetGrainId());
        Assert.Equal(1, counters.MaxInCall);
        Assert.Equal(0, counters.ThreadOverlaps);
    }

    [Fact]
    public async Task Reentrant_grain_interleaves_calls_but_never_runs_on_two_threads_at_once()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IReentrantProbeGrain>("reentrant");

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => grain.Work(awaits: 3))));

        var counters = silo.Get<ConcurrencyProbe>().For(grain.GetGrainId());
        Assert.True(counters.MaxInCall > 1, $"calls should interleave at awaits; max in call was {counters.MaxInCall}");
        Assert.Equal(0, counters.ThreadOverlaps);
    }

    [Fact]
    public async Task Different_grains_run_in_parallel()
    {
        await using var silo = await TestSilo.StartAsync();
        var work = Enumerable.Range(0, 8).Select(i => silo.Grains.GetGrain<IProbeGrain>($"p{i}").Work(awaits: 5));
        await Task.WhenAll(work);
        Assert.All(Enumerable.Range(0, 8), i => Assert.Equal(1, silo.Get<ConcurrencyProbe>().For(new GrainId("exclusiveprobe", $"p{i}")).MaxInCall));
    }

    [Fact]
    public async Task Full_mailbox_refuses_calls_without_running_them()
    {
        await using var silo = await TestSilo.StartAsync(options: o => o.MaxPendingRequestsPerActivation = 3);
        var grain = silo.Grains.GetGrain<IHangingGrain>("busy");
        Assert.Equal(1, await grain.Answer()); // activated and idle
        _ = grain.Hang(); // runs at once and occupies the activation for good
        var waiting = Enumerable.Range(0, 3).Select(_ => grain.Answer()).ToArray();

        var refused = await Assert.ThrowsAsync<GrainOverloadedException>(() => grain.Answer());
        Assert.Contains("hanging/busy", refused.Message);
        Assert.All(waiting, t => Assert.False(t.IsCompleted, t.Exception?.ToString()));
        Assert.Equal(1, silo.Get<Grid.Runtime.Metrics.GrainRuntimeMetrics>().Snapshot().Single(t => t.GrainType == "hanging")
            .Methods.Single(m => m.Method == nameof(IHangingGrain.Answer)).Calls); // only the first call ever ran
    }

    [Fact]
    public async Task Deep_synchronous_call_chain_hops_off_the_stack_instead_of_overflowing_it()
    {
        await using var silo = await TestSilo.StartAsync();
        const int depth = 10_000;
        for (var i = 0; i <= depth; i++)
        {
            await silo.Grains.GetGrain<IChainGrain>(i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Depth(0); // all active: calls go inline
        }

        Assert.Equal(depth, await silo.Grains.GetGrain<IChainGrain>(depth.ToString(System.Globalization.CultureInfo.InvariantCulture)).Depth(depth));
    }
}
