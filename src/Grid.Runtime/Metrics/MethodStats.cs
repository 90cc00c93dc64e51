namespace Grid.Runtime.Metrics;

/// <summary>Calls, errors and latency of one grain method on one grain type.</summary>
internal sealed class MethodStats(string interfaceName, string methodName)
{
    public string InterfaceName { get; } = interfaceName;

    public string MethodName { get; } = methodName;

    public StripedCounter Calls { get; } = new();

    public StripedCounter Errors { get; } = new();

    public LatencyHistogram Latency { get; } = new();

    /// <summary>Counts a finished call; <paramref name="elapsed"/> is set for the calls sampled for latency.</summary>
    public void Record(TimeSpan? elapsed, bool failed)
    {
        Calls.Increment();
        if (failed)
        {
            Errors.Increment();
        }

        if (elapsed is { } time)
        {
            Latency.Record(time);
        }
    }
}
