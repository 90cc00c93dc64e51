namespace Grid.Gateway.Dashboard;

/// <summary>A silo's line on the dashboard; only id, name and status are known of an unreachable one.</summary>
/// <param name="Status"><c>active</c>, or <c>unreachable</c> when it did not send its counters in time.</param>
/// <param name="CpuPercent">Share of all the machine's processors the process used over the last interval.</param>
public sealed record SiloStatus(
    string Id,
    string Name,
    string Status,
    bool Self,
    double? UptimeSeconds,
    double? CpuPercent,
    long? MemoryBytes,
    long? Activations);
