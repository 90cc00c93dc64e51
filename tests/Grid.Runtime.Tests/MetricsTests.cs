using System.Diagnostics.Metrics;
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

    [Fact]
    public async Task The_meter_reports_calls_by_outcome_and_the_durations_of_sampled_calls()
    {
        await using var silo = await TestSilo.StartAsync();
        var meters = silo.Get<IMeterFactory>();
        var calls = new Dictionary<(string Grain, string Method, string Outcome), long>();
        var durations = new List<(string Grain, string Method, double Seconds)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Meter.Name == GrainRuntimeMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "grid.grain.calls")
            {
                calls[(Tag(tags, "grain"), Tag(tags, "method"), Tag(tags, "outcome"))] = value;
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            lock (durations)
            {
                durations.Add((Tag(tags, "grain"), Tag(tags, "method"), value));
            }
        });
        listener.Start();

        var grain = silo.Grains.GetGrain<ICounterGrain>("meter");
        for (var i = 0; i < 300; i++)
        {
            await grain.Increment(1);
        }

        await Assert.ThrowsAsync<GrainCallCycleException>(() => silo.Grains.GetGrain<ICycleGrain>("meter-cycle").Relay(["meter-cycle"], 0));
        listener.RecordObservableInstruments();

        Assert.Equal(300, calls[("counter", "ICounterGrain.Increment", "ok")]);
        Assert.Equal(0, calls[("counter", "ICounterGrain.Increment", "error")]);
        Assert.Equal(0, calls[("cycle", "ICycleGrain.Relay", "ok")]);
        Assert.Equal(1, calls[("cycle", "ICycleGrain.Relay", "error")]);
        lock (durations)
        {
            // The activation's first call and its 257th are timed; nothing else is.
            var increments = durations.Where(d => d.Grain == "counter" && d.Method == "ICounterGrain.Increment").ToArray();
            Assert.Equal(2, increments.Length);
            Assert.All(increments, d => Assert.InRange(d.Seconds, 0, 30));
        }
    }

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var (key, value) in tags)
        {
            if (key == name)
            {
                return (string)value!;
            }
        }

        throw new Xunit.Sdk.XunitException($"no tag {name}");
    }

    private static long Calls(GrainRuntimeMetrics metrics, string method) =>
        metrics.Snapshot().Single(t => t.GrainType == "counter").Methods.Single(m => m.Method == method).Calls;
}
