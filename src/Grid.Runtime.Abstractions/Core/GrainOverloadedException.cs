namespace Grid.Runtime;

/// <summary>An activation's mailbox is full. Retryable: nothing was started.</summary>
public sealed class GrainOverloadedException(GrainId grainId, int limit)
    : Exception($"Grain {grainId} has {limit} requests waiting, the configured limit; the call was not started.")
{
    public GrainId GrainId { get; } = grainId;

    public int Limit { get; } = limit;
}
