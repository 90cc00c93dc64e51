namespace Grid.Runtime;

/// <summary>
/// A call would wait on a non-reentrant activation that is itself waiting further up the same call
/// chain: it could only end in a timeout, so it fails at once and names the cycle.
/// </summary>
public sealed class GrainCallCycleException(GrainId grainId, string method, IReadOnlyList<string> cycle)
    : GrainCallTimeoutException(grainId, method, $"Call cycle between non-reentrant grains: {string.Join(" -> ", cycle)}. It would deadlock until the response timeout, so it was refused.")
{
    public IReadOnlyList<string> Cycle { get; } = cycle;
}
