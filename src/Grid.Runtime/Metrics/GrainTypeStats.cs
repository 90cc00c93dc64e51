using System.Collections.Concurrent;

namespace Grid.Runtime.Metrics;

/// <summary>Live activations of a grain type and the stats of each of its methods.</summary>
internal sealed class GrainTypeStats(string grainType)
{
    // Keyed by the generated invokable type: one per interface method, so no string hashing per call.
    private readonly ConcurrentDictionary<Type, MethodStats> _methods = new();
    private long _activations;

    public string GrainType { get; } = grainType;

    public long Activations => Volatile.Read(ref _activations);

    public void ActivationAdded() => Interlocked.Increment(ref _activations);

    public void ActivationRemoved() => Interlocked.Decrement(ref _activations);

    public MethodStats For(IGrainInvokable invokable) =>
        _methods.TryGetValue(invokable.GetType(), out var stats)
            ? stats
            : _methods.GetOrAdd(invokable.GetType(), static (_, i) => new MethodStats(i.InterfaceName, i.MethodName), invokable);

    public GrainTypeSnapshot Snapshot() => new(
        GrainType,
        Activations,
        _methods.Values
            .Select(m => new GrainMethodSnapshot(m.InterfaceName, m.MethodName, m.Calls.Read(), m.Errors.Read(), m.Latency.Snapshot()))
            .OrderBy(m => m.Interface, StringComparer.Ordinal)
            .ThenBy(m => m.Method, StringComparer.Ordinal)
            .ToArray());
}
