using System.Globalization;
using Grid.Runtime.Core;

namespace Grid.Runtime.Persistence;

/// <summary>
/// <see cref="IPersistentState{TState}"/> over an <see cref="IGrainStateStore"/>. A version mismatch
/// deactivates the owning activation before the conflict is thrown, so no further call runs on stale state.
/// So does any other failed write (the store out of reach, a timeout): the grain changed <see cref="State"/> in
/// memory before asking, and whether the store took it is unknown, so no further call may answer from or act on it;
/// the next activation reads what the store holds.
/// </summary>
internal sealed class PersistentState<TState>(
    string name,
    ActivationData activation,
    IGrainStateStore store,
    GrainStateSerializer serializer)
    : IPersistentState<TState>, IPersistentStateLoader
    where TState : class, new()
{
    private long? _version;

    public TState State { get; set; } = new();

    public string? ETag => _version?.ToString(CultureInfo.InvariantCulture);

    public bool RecordExists { get; private set; }

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var record = await store.ReadAsync(activation.GrainId, name, cancellationToken);
        _version = record?.Version;
        RecordExists = record?.Payload is not null;
        State = record?.Payload is { } payload ? serializer.Deserialize<TState>(payload) : new TState();
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        var payload = serializer.Serialize(State);
        var version = await DeactivatingOnFailureAsync(() => store.WriteAsync(activation.GrainId, name, payload, _version, cancellationToken));
        _version = version ?? throw Conflict();
        RecordExists = true;
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        var version = await DeactivatingOnFailureAsync(() => store.ClearAsync(activation.GrainId, name, _version, cancellationToken));
        _version = version ?? throw Conflict();
        RecordExists = false;
        State = new TState();
    }

    /// <summary>A store call whose failure leaves unknown what the store holds: the activation goes, then the failure is thrown.</summary>
    private async Task<long?> DeactivatingOnFailureAsync(Func<Task<long?>> call)
    {
        try
        {
            return await call();
        }
        catch
        {
            activation.StartDeactivation(DeactivationReason.StateWriteFailed);
            throw;
        }
    }

    private StateConflictException Conflict()
    {
        activation.StartDeactivation(DeactivationReason.StateConflict);
        return new StateConflictException(activation.GrainId, name, ETag);
    }
}
