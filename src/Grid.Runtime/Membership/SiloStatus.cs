namespace Grid.Runtime.Membership;

/// <summary>A silo's own word on where it is in its life, as written in the membership table.</summary>
public enum SiloStatus
{
    /// <summary>Serving, and owning the grains placement gives it while its heartbeat is fresh.</summary>
    Active,

    /// <summary>Shutting down gracefully: out of every view at once, so no new calls are placed on it.</summary>
    Leaving,

    /// <summary>Gone: it left, or another silo found its heartbeat stale long enough to bury it.</summary>
    Dead,
}
