namespace Grid.Runtime;

/// <summary>Ends a subscription whose bounded buffer filled up; the subscriber must resubscribe (and catch up from its own cursor).</summary>
public sealed class SubscriberTooSlowException(GrainId grainId, int capacity)
    : Exception($"Subscriber of {grainId} fell {capacity} events behind and was disconnected.")
{
    public GrainId GrainId { get; } = grainId;
}
