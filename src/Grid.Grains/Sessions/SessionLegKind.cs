namespace Grid.Grains.Sessions;

/// <summary>The ledger steps of one checkpoint, in the order they run.</summary>
public enum SessionLegKind
{
    /// <summary>Captures the checkpoint's cost from the deposit's hold (final at the end or when exhausted).</summary>
    Capture,

    /// <summary>Deposits the host's share on the host's account.</summary>
    Host,

    /// <summary>Deposits the rest on the treasury account.</summary>
    Treasury,

    /// <summary>
    /// Places the deposit's hold when the session starts: stored as a step before it runs, so a silo lost after the hold
    /// but before the session was written leaves a session that finishes starting, never a hold that nothing owns.
    /// </summary>
    Hold,
}
