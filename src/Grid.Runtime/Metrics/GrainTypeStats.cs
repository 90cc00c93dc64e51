using System.Collections.Concurrent;

namespace Grid.Runtime.Metrics;

/// <summary>Live activations of a grain type and the stats of each of its methods.</summary>
internal sealed class GrainTypeStats(string grainType, int slots, Func<IEnumerable<CallCounts>> liveCounts)
{
    // Keyed by the generated invokable type: one per interface method, so no string hashing per call.
    private readonly ConcurrentDictionary<Type, MethodStats> _methods = new();

    // Snapshots and retirements exclude each other, so a retiring activation is counted exactly once.
    private readonly Lock _retireLock = new();
    private long _activations;
    private int _nextIndex = -1;

    public string GrainType { get; } = grainType;

    /// <summary>How many call-count slots each activation of the type gets.</summary>
    public int Slots { get; } = slots;

    public long Activations => Volatile.Read(ref _activations);

    public void ActivationAdded() => Interlocked.Increment(ref _activations);

    public void ActivationRemoved() => Interlocked.Decrement(ref _activations);

    public MethodStats For(IGrainInvokable invokable) =>
        _methods.TryGetValue(invokable.GetType(), out var stats)
            ? stats
            : _methods.GetOrAdd(invokable.GetType(), static (_, s) => new MethodStats(s.Self.GrainType, s.Invokable.InterfaceName, s.Invokable.MethodName, Interlocked.Increment(ref s.Self._nextIndex)), (Invokable: invokable, Self: this));

    /// <summary>Folds a retiring activation's slots into the shared counters. Call before it leaves the catalog.</summary>
    public void Retire(CallCounts counts)
    {
        lock (_retireLock)
        {
            if (counts.Retired)
            {
                return;
            }

            foreach (var method in _methods.Values)
            {
                if (method.Index < counts.Slots.Length)
                {
                    method.Calls.Add(Volatile.Read(ref counts.Slots[method.Index]));
                }
            }

            counts.Retired = true;
        }
    }

    public GrainTypeSnapshot Snapshot()
    {
        lock (_retireLock)
        {
            var live = liveCounts().Where(c => !c.Retired).ToArray();
            return new GrainTypeSnapshot(
                GrainType,
                Activations,
                _methods.Values
                    .Select(m => Snapshot(m, live))
                    .OrderBy(m => m.Interface, StringComparer.Ordinal)
                    .ThenBy(m => m.Method, StringComparer.Ordinal)
                    .ToArray());
        }
    }

    private static GrainMethodSnapshot Snapshot(MethodStats method, CallCounts[] live)
    {
        var errors = method.Errors.Read();
        var succeeded = method.Calls.Read() + Sum(live, method.Index);
        return new GrainMethodSnapshot(method.InterfaceName, method.MethodName, succeeded + errors, errors, method.Latency.Snapshot());
    }

    private static long Sum(CallCounts[] live, int index)
    {
        long total = 0;
        foreach (var counts in live)
        {
            if (index < counts.Slots.Length)
            {
                total += Volatile.Read(ref counts.Slots[index]);
            }
        }

        return total;
    }
}
