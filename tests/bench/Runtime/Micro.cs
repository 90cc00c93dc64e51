using System.Diagnostics;
using Grid.Runtime;
using Grid.Runtime.Core;
using Grid.Runtime.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grid.Bench.Runtime;

public static class Micro
{
    public static async Task RunAsync()
    {
        var services = new ServiceCollection().AddLogging().AddGrainRuntime().AddGrain<BenchCounterGrain>().BuildServiceProvider();
        var runtime = services.GetRequiredService<GrainRuntime>();
        var baseline = new SemaphorePerKeyBaseline();
        var keys = Enumerable.Range(0, 1000).Select(i => $"key-{i}").ToArray();
        for (var round = 0; round < 3; round++)
        {
            var a0 = GC.GetAllocatedBytesForCurrentThread();
            var w = Stopwatch.StartNew();
            for (var i = 0; i < 5_000_000; i++) await runtime.GetGrain<IBenchCounterGrain>(keys[i % 1000]).Increment(1);
            var g = w.Elapsed.TotalNanoseconds / 5_000_000;
            var a1 = GC.GetAllocatedBytesForCurrentThread();
            w.Restart();
            for (var i = 0; i < 5_000_000; i++) await baseline.IncrementAsync(keys[i % 1000], 1);
            var b = w.Elapsed.TotalNanoseconds / 5_000_000;
            var a2 = GC.GetAllocatedBytesForCurrentThread();
            Console.WriteLine($"bytes/call grid {(a1 - a0) / 5_000_000.0:0} baseline {(a2 - a1) / 5_000_000.0:0}");
            var refs = keys.Select(k => runtime.GetGrain<IBenchCounterGrain>(k)).ToArray();
            w.Restart();
            for (var i = 0; i < 5_000_000; i++) await refs[i % 1000].Increment(1);
            var c = w.Elapsed.TotalNanoseconds / 5_000_000;
            w.Restart();
            IBenchCounterGrain? last = null;
            for (var i = 0; i < 5_000_000; i++) last = runtime.GetGrain<IBenchCounterGrain>(keys[i % 1000]);
            var gg = w.Elapsed.TotalNanoseconds / 5_000_000;
            var direct = new BenchCounterGrain();
            w.Restart();
            for (var i = 0; i < 5_000_000; i++) await direct.Increment(1);
            var d = w.Elapsed.TotalNanoseconds / 5_000_000;
            w.Restart();
            var benchType = runtime.Catalog.Activations.First().Type;
            for (var i = 0; i < 5_000_000; i++) runtime.Catalog.GetOrCreate(benchType, keys[i % 1000]);
            var cl = w.Elapsed.TotalNanoseconds / 5_000_000;
            Console.WriteLine($"GetGrain only {gg:0.0} ns, direct grain method {d:0.0} ns, catalog lookup {cl:0.0} ns {last}");
            Console.WriteLine($"grid {g:0.0} ns/call, grid cached refs {c:0.0} ns/call, baseline {b:0.0} ns/call, gc0={GC.CollectionCount(0)}");
        }
    }
}
