using Grid.Runtime.Tests.Grains;
using Grid.Runtime.Tests.Support;
using Xunit;

namespace Grid.Runtime.Tests;

public sealed class ActivationTests
{
    [Fact]
    public async Task Thousand_concurrent_first_calls_to_one_key_create_exactly_one_activation()
    {
        await using var silo = await TestSilo.StartAsync();
        using var start = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, 1000).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await silo.Grains.GetGrain<ICounterGrain>("hot").Increment(1);
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(calls);

        var id = silo.Grains.GetGrain<ICounterGrain>("hot").GetGrainId();
        Assert.Equal(1, silo.Get<ActivationLog>().ActivationsOf(id));
        Assert.Equal(1, silo.Runtime.ActivationCount);
        // Every increment ran exactly once, one at a time: the results are a permutation of 1..1000.
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), results.Order());
        Assert.Equal(1000, await silo.Grains.GetGrain<ICounterGrain>("hot").Get());
    }

    [Fact]
    public async Task Deactivated_grain_is_activated_again_by_the_next_call_and_waiting_calls_follow_it()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("again");
        await grain.Increment(5);
        await grain.Deactivate();
        var id = grain.GetGrainId();
        await Eventually.TrueAsync(() => silo.Get<ActivationLog>().DeactivationsOf(id).Count == 1, "deactivation");

        Assert.Equal(0, await grain.Get()); // in-memory only: a new activation starts from scratch
        Assert.Equal(2, silo.Get<ActivationLog>().ActivationsOf(id));
        Assert.Equal([DeactivationReason.Requested], silo.Get<ActivationLog>().DeactivationsOf(id));
    }

    [Fact]
    public async Task An_OnDeactivateAsync_running_past_its_timeout_keeps_the_next_activation_out_until_it_ends()
    {
        await using var silo = await TestSilo.StartAsync(options: o => o.DeactivationTimeout = TimeSpan.FromMilliseconds(200));
        var grain = silo.Grains.GetGrain<ISlowDeactivationGrain>("slow");
        await grain.Leave();
        await Task.Delay(500); // past the timeout, while OnDeactivateAsync still runs

        // The next call waits for it to end, then activates the grain again: never two activations at once.
        await grain.Touch();
        var counters = silo.Get<ConcurrencyProbe>().For(grain.GetGrainId());
        Assert.Equal(1, counters.MaxActivations);
    }

    [Fact]
    public async Task A_reentrant_grain_runs_at_most_the_pending_bound_of_calls_at_once()
    {
        await using var silo = await TestSilo.StartAsync(options: o => o.MaxPendingRequestsPerActivation = 4);
        var grain = silo.Grains.GetGrain<IReentrantProbeGrain>("bounded");
        await grain.Work(0);

        // 4 may run and 4 more wait; the rest are refused, instead of piling up without bound as running work. None ends
        // before the gate opens, so no slot frees up however slowly the calls are sent.
        var calls = Enumerable.Range(0, 20).Select(_ => grain.WorkBehindGate()).ToList();
        var counters = silo.Get<ConcurrencyProbe>().For(grain.GetGrainId());
        await Eventually.TrueAsync(
            () => calls.Count(call => call.IsCompleted) >= 12 && Volatile.Read(ref counters.MaxInCall) >= 4,
            "twelve calls refused and four at the gate");
        silo.Get<Gate>().Open();
        var refused = 0;
        foreach (var call in calls)
        {
            try
            {
                await call;
            }
            catch (GrainOverloadedException)
            {
                refused++;
            }
        }

        Assert.Equal(12, refused);
        Assert.Equal(4, counters.MaxInCall);
    }

    [Fact]
    public async Task Graceful_stop_runs_OnDeactivateAsync_of_every_activation()
    {
        var silo = await TestSilo.StartAsync();
        var ids = new List<GrainId>();
        for (var i = 0; i < 20; i++)
        {
            var grain = silo.Grains.GetGrain<ICounterGrain>($"g{i}");
            await grain.Increment(1);
            ids.Add(grain.GetGrainId());
        }

        await silo.StopAsync();

        Assert.All(ids, id => Assert.Equal([DeactivationReason.SiloShutdown], silo.Get<ActivationLog>().DeactivationsOf(id)));
        Assert.Equal(0, silo.Runtime.ActivationCount);
        await Assert.ThrowsAsync<SiloUnavailableException>(() => silo.Grains.GetGrain<ICounterGrain>("late").Increment(1));
        await silo.DisposeAsync();
    }

    [Fact]
    public async Task Unregistered_interface_fails_with_a_clear_error()
    {
        await using var silo = await TestSilo.StartAsync(s => { }, options: null);
        var error = Assert.Throws<ArgumentException>(() => silo.Grains.GetGrain<IUnimplementedGrain>("x"));
        Assert.Contains(nameof(IUnimplementedGrain), error.Message);
    }
}

public interface IUnimplementedGrain : IGrainWithStringKey
{
    Task Nothing();
}
