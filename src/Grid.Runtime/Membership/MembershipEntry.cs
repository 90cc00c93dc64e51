namespace Grid.Runtime.Membership;

/// <summary>One silo's row in the membership table.</summary>
/// <param name="SiloId">Unique per process start (a restarted silo is a new member).</param>
/// <param name="Endpoint">Where other silos and clients reach it for grain calls (an absolute http URL).</param>
/// <param name="HeartbeatAt">The last time it said it was alive, by its own clock.</param>
public sealed record MembershipEntry(
    string SiloId,
    string Name,
    string Endpoint,
    DateTimeOffset StartedAt,
    DateTimeOffset HeartbeatAt,
    SiloStatus Status);
