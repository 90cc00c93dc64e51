namespace Grid.Runtime;

/// <summary>A grain could not be activated (constructor, state read or OnActivateAsync failed).</summary>
public sealed class GrainActivationException(GrainId grainId, Exception inner)
    : Exception($"Grain {grainId} failed to activate: {inner.Message}", inner)
{
    public GrainId GrainId { get; } = grainId;
}
