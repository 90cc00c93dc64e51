namespace Grid.Runtime.Placement;

/// <summary>
/// Decides whether this silo owns a grain. Absent on a single silo (everything is local); the cluster
/// plugs in an owner computation here and an <see cref="IRemoteGrainInvoker"/> for the rest.
/// </summary>
public interface IGrainPlacement
{
    bool IsLocal(GrainId grainId);

    /// <summary>Raised when owners may have moved (a silo joined or left the view).</summary>
    event EventHandler? OwnershipChanged;
}
