using System.Collections.Concurrent;
using Grid.Runtime;

namespace Grid.Runtime.Tests.Support;

/// <summary>
/// Measures, from inside grains, how many calls of one grain are in progress at once and whether two
/// pieces of its code ever ran on two threads at the same moment.
/// </summary>
internal sealed class ConcurrencyProbe
{
    private readonly ConcurrentDictionary<GrainId, Counters> _counters = new();

    public Counters For(GrainId id) => _counters.GetOrAdd(id, _ => new Counters());

    internal sealed class Counters
    {
        private int _inCall;
        private int _onThread;

        private int _activations;

        public int MaxInCall;
        public int ThreadOverlaps;
        public int MaxActivations;

        public void EnterActivation() => Raise(ref MaxActivations, Interlocked.Increment(ref _activations));

        public void ExitActivation() => Interlocked.Decrement(ref _activations);

        public void EnterCall() => Raise(ref MaxInCall, Interlocked.Increment(ref _inCall));

        private static void Raise(ref int max, int now)
        {
            int seen;
            while ((seen = Volatile.Read(ref max)) < now && Interlocked.CompareExchange(ref max, now, seen) != seen)
            {
            }
        }

        public void ExitCall() => Interlocked.Decrement(ref _inCall);

        /// <summary>Brackets synchronous code; counts it when another thread is inside the same grain's code.</summary>
        public void Segment(Action body)
        {
            if (Interlocked.Increment(ref _onThread) > 1)
            {
                Interlocked.Increment(ref ThreadOverlaps);
            }

            try
            {
                body();
                Thread.SpinWait(200); // widen the window a real overlap would need
            }
            finally
            {
                Interlocked.Decrement(ref _onThread);
            }
        }
    }
}
