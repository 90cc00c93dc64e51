namespace Grid.Runtime;

/// <summary>Why an activation is going away; grains may skip flushing state on <see cref="StateConflict"/>.</summary>
public enum DeactivationReason
{
    IdleCollected,
    Requested,
    SiloShutdown,
    StateConflict,
    ActivationFailed,
    NotOwner,
}
