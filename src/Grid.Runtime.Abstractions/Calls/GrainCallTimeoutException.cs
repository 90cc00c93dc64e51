namespace Grid.Runtime;

/// <summary>A grain call got no response in time. The call may or may not have run: retry only idempotent work.</summary>
public class GrainCallTimeoutException : TimeoutException
{
    public GrainCallTimeoutException(GrainId grainId, string method, TimeSpan timeout)
        : base($"Call to {grainId}.{method} got no response within {timeout.TotalSeconds:0.###} s.")
    {
        GrainId = grainId;
        Method = method;
        Timeout = timeout;
    }

    protected GrainCallTimeoutException(GrainId grainId, string method, string message)
        : base(message)
    {
        GrainId = grainId;
        Method = method;
    }

    public GrainId GrainId { get; }

    public string Method { get; }

    /// <summary>How long the caller waited; null for timeouts of another cause (a call cycle).</summary>
    public TimeSpan? Timeout { get; }
}
