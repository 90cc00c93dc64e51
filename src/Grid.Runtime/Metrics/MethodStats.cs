namespace Grid.Runtime.Metrics;

/// <summary>
/// Calls, errors and latency of one grain method on one grain type. Calls of live activations that
/// succeeded are counted in their <see cref="CallCounts"/> slot <see cref="Index"/>; <see cref="Calls"/>
/// holds the rest of the successes (retired activations, slots out of range) and <see cref="Errors"/> every
/// failure. Successes and failures never share a counter, so each of the two only ever goes up.
/// </summary>
internal sealed class MethodStats
{
    public MethodStats(string grainType, string interfaceName, string methodName, int index)
    {
        InterfaceName = interfaceName;
        MethodName = methodName;
        Index = index;
        // Built once per (type, method), so recording a sampled duration allocates nothing.
        Tags = [new(GrainRuntimeMetrics.GrainTag, grainType), new(GrainRuntimeMetrics.MethodTag, GrainMethodLabel.Of(interfaceName, methodName))];
    }

    public string InterfaceName { get; }

    public string MethodName { get; }

    public int Index { get; }

    /// <summary>The instrument tags of the method: grain type and method label.</summary>
    public KeyValuePair<string, object?>[] Tags { get; }

    /// <summary>Successful calls not counted in an activation slot.</summary>
    public StripedCounter Calls { get; } = new();

    public StripedCounter Errors { get; } = new();

    public LatencyHistogram Latency { get; } = new();

    /// <summary>A call counted here in full (a failure, or a success without an activation slot).</summary>
    public void Record(TimeSpan? elapsed, bool failed)
    {
        (failed ? Errors : Calls).Increment();
        if (elapsed is { } time)
        {
            Latency.Record(time);
        }
    }
}
