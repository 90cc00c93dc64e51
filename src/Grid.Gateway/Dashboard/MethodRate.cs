namespace Grid.Gateway.Dashboard;

/// <summary>A grain method's calls and errors per second over the last interval, and latency quantiles (ms, bucket upper bounds) over the last minute of sampled calls, or since the silo started when that minute sampled none.</summary>
public sealed record MethodRate(string Grain, string Method, long Calls, long Errors, double? CallsPerSecond, double? ErrorsPerSecond, double? P50Ms, double? P99Ms);
