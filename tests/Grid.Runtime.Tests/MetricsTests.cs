using Grid.Runtime.Metrics;
using Grid.Runtime.Tests.Grains;
using Grid.Runtime.Tests.Support;
using Xunit;

namespace Grid.Runtime.Tests;

public sealed class MetricsTests
{
    [Fact]
    public async Task Calls_errors_latency_and_activations_are_counted_per_type_and_method()
    {
        await using var silo = await TestSilo.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            await silo.Grains.GetGrain<ICounterGrain>($"m{i}").Increment(1);
        }

        await silo.Grains.GetGrain<ICounterGrain>("m0").Get();
        await Assert.ThrowsAsync<GrainCallCycleException>(() => silo.Grains.GetGrain<ICycleGrain>("c").Relay(["c"], 0));

        var snapshot = silo.Get<GrainRuntimeMetrics>().Snapshot();
        var counter = snapshot.Single(t => t.GrainType == "counter");
        Assert.Equal(3, counter.Activations);
        var increment = counter.Methods.Single(m => m.Method == nameof(ICounterGrain.Increment));
        Assert.Equal(typeof(ICounterGrain).FullName, increment.Interface);
        Assert.Equal(3, increment.Calls);
        Assert.Equal(0, increment.Errors);
        Assert.Equal(3, increment.LatencyBuckets.Sum());
        Assert.True(increment.QuantileMicros(0.99) > 0);
        Assert.Equal(1, counter.Methods.Single(m => m.Method == nameof(ICounterGrain.Get)).Calls);

        var relay = snapshot.Single(t => t.GrainType == "cycle").Methods.Single();
        Assert.Equal(1, relay.Calls);
        Assert.Equal(1, relay.Errors); // the outer call failed because its inner call was refused
    }

    [Fact]
    public async Task Calls_counted_by_an_activation_survive_its_deactivation_exactly_once()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("retire");
        var metrics = silo.Get<GrainRuntimeMetrics>();
        for (var i = 0; i < 5; i++)
        {
            await grain.Increment(1);
        }

        await grain.Deactivate();
        await Eventually.TrueAsync(() => silo.Runtime.ActivationCount == 0, "deactivated");
        Assert.Equal(5, Calls(metrics, nameof(ICounterGrain.Increment)));
        Assert.Equal(1, Calls(metrics, nameof(ICounterGrain.Deactivate)));

        await grain.Increment(1); // a new activation counts on top
        await grain.Increment(1);
        Assert.Equal(7, Calls(metrics, nameof(ICounterGrain.Increment)));
    }

    private static long Calls(GrainRuntimeMetrics metrics, string method) =>
        metrics.Snapshot().Single(t => t.GrainType == "counter").Methods.Single(m => m.Method == method).Calls;
}
