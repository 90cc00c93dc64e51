using Grid.Runtime.Tests.Grains;
using Grid.Runtime.Tests.Support;
using Xunit;

namespace Grid.Runtime.Tests;

/// <summary>
/// Drives the races between the lock-free fast path and the locked slow path: calls that finish
/// synchronously, on the grain's thread after an await, or on a foreign thread before the caller let
/// go of the activation; plus deactivations and collection sweeps arriving in the middle.
/// </summary>
public sealed class FastPathRaceTests
{
    [Fact]
    public async Task Mixed_sync_and_async_calls_racing_on_one_grain_run_one_at_a_time_and_none_is_lost()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IMixedGrain>("mixed");
        const int callers = 8, callsEach = 800;

        var results = await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            var random = new Random(c);
            var seen = new List<long>(callsEach);
            for (var i = 0; i < callsEach; i++)
            {
                seen.Add(await grain.Step(random.Next(4)));
            }

            return seen;
        })));

        var counters = silo.Get<ConcurrencyProbe>().For(grain.GetGrainId());
        Assert.Equal(1, counters.MaxInCall);
        Assert.Equal(callers * callsEach, await grain.Total());
        // Each call saw a distinct total: every increment ran exactly once.
        Assert.Equal(Enumerable.Range(1, callers * callsEach).Select(i => (long)i), results.SelectMany(r => r).Order());
    }

    [Fact]
    public async Task Calls_racing_deactivations_and_collection_all_complete_with_one_activation_at_a_time()
    {
        var clock = new ManualTimeProvider();
        await using var silo = await TestSilo.StartAsync(time: clock, options: o =>
        {
            o.CollectionAge = TimeSpan.FromSeconds(1);
            o.CollectionQuantum = TimeSpan.FromSeconds(1);
            o.ResponseTimeout = TimeSpan.FromDays(1); // the test's clock runs fast; only a real hang may time out
        });
        var grain = silo.Grains.GetGrain<IMixedGrain>("churn");
        using var stop = new CancellationTokenSource();
        var metrics = silo.Get<Grid.Runtime.Metrics.GrainRuntimeMetrics>();
        var decreases = 0;
        var sweeper = Task.Run(async () =>
        {
            long last = 0;
            while (!stop.IsCancellationRequested)
            {
                clock.Advance(TimeSpan.FromSeconds(1)); // collection sweeps in the middle of the calls
                // Counters are read while activations retire theirs: they may only ever go up.
                var now = metrics.Snapshot().Where(t => t.GrainType == "mixed").SelectMany(t => t.Methods).Sum(m => m.Calls);
                decreases += now < last ? 1 : 0;
                last = now;
                await Task.Delay(1);
            }
        });

        var completed = await Task.WhenAll(Enumerable.Range(0, 6).Select(c => Task.Run(async () =>
        {
            var random = new Random(c);
            var done = 0;
            for (var i = 0; i < 500; i++)
            {
                if (random.Next(50) == 0)
                {
                    await grain.Leave();
                }
                else
                {
                    await grain.Step(random.Next(4));
                }

                done++;
            }

            return done;
        })));
        stop.Cancel();
        await sweeper;

        Assert.All(completed, n => Assert.Equal(500, n));
        Assert.Equal(0, decreases);
        Assert.Equal(6 * 500, metrics.Snapshot().Single(t => t.GrainType == "mixed").Methods.Sum(m => m.Calls)); // every call counted once
        var counters = silo.Get<ConcurrencyProbe>().For(grain.GetGrainId());
        Assert.Equal(1, counters.MaxActivations);
        Assert.Equal(1, counters.MaxInCall);
        Assert.True(silo.Get<ActivationLog>().ActivationsOf(grain.GetGrainId()) > 1, "the grain was deactivated and activated again along the way");
    }
}
