namespace Grid.Runtime.Metrics;

/// <summary>
/// Calls, errors and latency of one grain method on one grain type. Calls of live activations are
/// counted in their <see cref="CallCounts"/> slot <see cref="Index"/>; <see cref="Calls"/> holds the
/// rest (retired activations, slots out of range).
/// </summary>
internal sealed class MethodStats(string interfaceName, string methodName, int index)
{
    public string InterfaceName { get; } = interfaceName;

    public string MethodName { get; } = methodName;

    public int Index { get; } = index;

    public StripedCounter Calls { get; } = new();

    public StripedCounter Errors { get; } = new();

    public LatencyHistogram Latency { get; } = new();

    /// <summary>Errors and sampled latency of a call whose count went elsewhere.</summary>
    public void RecordOutcome(TimeSpan? elapsed, bool failed)
    {
        if (failed)
        {
            Errors.Increment();
        }

        if (elapsed is { } time)
        {
            Latency.Record(time);
        }
    }

    /// <summary>A call counted here in full (no activation slot for it).</summary>
    public void Record(TimeSpan? elapsed, bool failed)
    {
        Calls.Increment();
        RecordOutcome(elapsed, failed);
    }
}
