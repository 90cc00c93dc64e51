using Grid.Runtime.Tests.Support;

namespace Grid.Runtime.Tests.Grains;

internal static class ProbeWork
{
    public static async Task RunAsync(ConcurrencyProbe.Counters counters, int awaits)
    {
        counters.Segment(counters.EnterCall);
        for (var i = 0; i < awaits; i++)
        {
            // A real asynchronous wait, so other calls get the chance to interleave (or must not).
            await Task.Delay(1);
            counters.Segment(static () => { });
        }

        counters.Segment(counters.ExitCall);
    }
}
