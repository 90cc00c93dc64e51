namespace Grid.Gateway.Dashboard;

/// <summary>
/// A grain method's totals on one silo: calls (errors included), errors, and the sampled latencies in the runtime's
/// power-of-two microsecond buckets (bucket i: under 2^i µs).
/// </summary>
/// <param name="Method">As /metrics names it, e.g. <c>IAccountGrain.Execute</c>.</param>
public sealed record MethodReading(string Grain, string Method, long Calls, long Errors, IReadOnlyList<long> LatencyBuckets);
