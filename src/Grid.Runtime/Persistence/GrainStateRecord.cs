namespace Grid.Runtime.Persistence;

/// <summary>A stored state row: its JSON payload (null once cleared) and its version.</summary>
public sealed record GrainStateRecord(string? Payload, long Version);
