namespace Grid.Runtime.Placement;

/// <summary>Sends a call to the silo that owns the grain.</summary>
public interface IRemoteGrainInvoker
{
    /// <summary>
    /// Starts the call at the owner, which drops it once <paramref name="timeout"/> (the one the caller waits for) has
    /// passed. Never throws: a failure completes the call faulted.
    /// </summary>
    void Send(GrainId target, GrainCall call, TimeSpan timeout);
}
