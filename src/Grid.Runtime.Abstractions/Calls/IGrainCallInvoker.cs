namespace Grid.Runtime;

/// <summary>Delivers calls made on grain references: to a local activation, or later to the owning silo.</summary>
public interface IGrainCallInvoker
{
    /// <summary>Starts the call. Never throws: a refused call completes faulted.</summary>
    void Send(GrainReference target, GrainCall call);
}
