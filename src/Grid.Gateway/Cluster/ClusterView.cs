namespace Grid.Gateway.Cluster;

/// <summary>GET /v1/cluster: this silo, the silos in the view (one until clustering), and activations.</summary>
public sealed record ClusterView(SiloView Silo, IReadOnlyList<SiloView> Silos, long Activations, IReadOnlyDictionary<string, long> ActivationsByType);

public sealed record SiloView(string Id, string Name, DateTimeOffset StartedAt, double UptimeSeconds, string StorageProvider, string Status);
