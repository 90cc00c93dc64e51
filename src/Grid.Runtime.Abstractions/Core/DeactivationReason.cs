namespace Grid.Runtime;

/// <summary>
/// Why an activation is going away; grains may skip flushing state on <see cref="StateConflict"/> and
/// <see cref="StateWriteFailed"/> (what they hold in memory is not known to be what the store holds).
/// </summary>
public enum DeactivationReason
{
    IdleCollected,
    Requested,
    SiloShutdown,
    StateConflict,
    ActivationFailed,
    NotOwner,

    /// <summary>A state write or clear failed without an answer from the store; the next activation reads what it holds.</summary>
    StateWriteFailed,
}
