namespace Grid.Runtime.Persistence;

/// <summary>
/// Where grain state lives (implemented by Grid.Storage). Every write names the version it expects;
/// a different stored version means another activation wrote first, and the write changes nothing.
/// </summary>
public interface IGrainStateStore
{
    Task<GrainStateRecord?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken);

    /// <summary>Writes the payload if the stored version is <paramref name="expectedVersion"/> (null: no row yet). Returns the new version, or null on a mismatch.</summary>
    Task<long?> WriteAsync(GrainId grainId, string stateName, string payload, long? expectedVersion, CancellationToken cancellationToken);

    /// <summary>Clears the payload but keeps the row and bumps its version, so stale writers still conflict. Null on a mismatch.</summary>
    Task<long?> ClearAsync(GrainId grainId, string stateName, long? expectedVersion, CancellationToken cancellationToken);
}
