namespace Grid.Runtime.Metrics;

/// <summary>Point-in-time counters of one grain type, for /v1/cluster, /metrics and the dashboard.</summary>
public sealed record GrainTypeSnapshot(string GrainType, long Activations, IReadOnlyList<GrainMethodSnapshot> Methods);
