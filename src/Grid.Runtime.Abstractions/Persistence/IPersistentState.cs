namespace Grid.Runtime;

/// <summary>
/// A named piece of grain state, read before OnActivateAsync. Every write is fenced by <see cref="ETag"/>:
/// if another activation wrote in between, the write throws <see cref="StateConflictException"/> and the
/// runtime deactivates this activation.
/// </summary>
public interface IPersistentState<TState> where TState : class, new()
{
    TState State { get; set; }

    /// <summary>The stored version this activation last read or wrote; null before the first write.</summary>
    string? ETag { get; }

    bool RecordExists { get; }

    Task ReadStateAsync(CancellationToken cancellationToken = default);

    Task WriteStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes the state; the version keeps counting so a stale activation still conflicts.</summary>
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}
