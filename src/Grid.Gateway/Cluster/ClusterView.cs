namespace Grid.Gateway.Cluster;

/// <summary>GET /v1/cluster: this silo, the silos in its view (itself alone outside a cluster), and its activations.</summary>
public sealed record ClusterView(SiloView Silo, bool Clustered, IReadOnlyList<SiloView> Silos, long Activations, IReadOnlyDictionary<string, long> ActivationsByType);

/// <param name="Endpoint">Where the silo takes grain calls in a cluster; null outside one.</param>
/// <param name="HeartbeatAt">Its last heartbeat as this silo read it; null outside a cluster.</param>
public sealed record SiloView(
    string Id,
    string Name,
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    string StorageProvider,
    string Status,
    string? Endpoint = null,
    DateTimeOffset? HeartbeatAt = null);
