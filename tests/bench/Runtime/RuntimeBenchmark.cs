using Grid.Runtime;
using Grid.Runtime.Core;
using Grid.Runtime.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grid.Bench.Runtime;

/// <summary>
/// Local grain calls per second (no storage) against the SemaphoreSlim-per-key baseline, same workload,
/// same run. Rounds alternate between the two so machine noise falls on both alike.
/// </summary>
public static class RuntimeBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddGrainRuntime()
            .AddGrain<BenchCounterGrain>()
            .BuildServiceProvider();
        await using var _ = services;
        var runtime = services.GetRequiredService<GrainRuntime>();
        await runtime.StartAsync(CancellationToken.None);
        var baseline = new SemaphorePerKeyBaseline();
        var load = new CallLoad(options.Callers, options.Keys, yieldEvery: 16);

        Func<string, Task<long>> grid = key => runtime.GetGrain<IBenchCounterGrain>(key).Increment(1);
        Func<string, Task<long>> byHand = key => baseline.IncrementAsync(key, 1);

        Console.WriteLine($"runtime: {options.Keys} grains, {options.Callers} concurrent callers, {options.Duration.TotalSeconds:0} s per side in {options.Rounds} rounds; {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        await load.RunAsync(grid, options.Warmup);
        await load.RunAsync(byHand, options.Warmup);

        var slice = options.Duration / options.Rounds;
        LoadResult gridTotal = default, baselineTotal = default;
        var roundRatios = new List<double>();
        for (var round = 0; round < options.Rounds; round++)
        {
            var g = await load.RunAsync(grid, slice);
            var b = await load.RunAsync(byHand, slice);
            gridTotal = new(gridTotal.Calls + g.Calls, gridTotal.Elapsed + g.Elapsed);
            baselineTotal = new(baselineTotal.Calls + b.Calls, baselineTotal.Elapsed + b.Elapsed);
            roundRatios.Add(g.PerSecond / b.PerSecond);
            Console.WriteLine($"  round {round + 1}: grid {g.PerSecond,12:N0} calls/s   baseline {b.PerSecond,12:N0} calls/s   ratio {roundRatios[^1]:0.00}");
        }

        // A neighbour's burst can hit one side of one round; the median of the rounds' ratios shrugs it off.
        roundRatios.Sort();
        var median = roundRatios.Count % 2 == 1
            ? roundRatios[roundRatios.Count / 2]
            : (roundRatios[(roundRatios.Count / 2) - 1] + roundRatios[roundRatios.Count / 2]) / 2;
        Console.WriteLine($"grid (grain calls)              {gridTotal.PerSecond,12:N0} calls/s");
        Console.WriteLine($"baseline (SemaphoreSlim per key){baselineTotal.PerSecond,12:N0} calls/s");
        Console.WriteLine($"ratio grid/baseline, totals     {gridTotal.PerSecond / baselineTotal.PerSecond,12:0.00}");
        Console.WriteLine($"ratio grid/baseline, median     {median,12:0.00}");
        Console.WriteLine($"activations                     {runtime.ActivationCount,12:N0}");
        await runtime.StopAsync(CancellationToken.None);
        return 0;
    }
}
