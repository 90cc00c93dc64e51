namespace Grid.Runtime;

/// <summary>Subscribes to what grains publish with <see cref="IGrainContext.Publish{TEvent}"/>.</summary>
public interface IGrainEvents
{
    /// <summary>
    /// Events of type <typeparamref name="TEvent"/> published by the grain from now on. The buffer is
    /// bounded: a subscriber that falls <paramref name="capacity"/> events behind is completed with
    /// <see cref="SubscriberTooSlowException"/> rather than slowing the grain.
    /// </summary>
    GrainEventSubscription<TEvent> Subscribe<TEvent>(GrainId grainId, int capacity = 1024);

    /// <summary>
    /// Events of type <typeparamref name="TEvent"/> published by any grain on this silo from now on, for
    /// monitoring (a dashboard's feed), never for correctness: a subscriber that falls <paramref name="capacity"/>
    /// events behind loses the oldest instead of being disconnected. Publishing checks for such subscribers with
    /// one read, so having none costs nothing.
    /// </summary>
    GrainEventSubscription<TEvent> SubscribeEverywhere<TEvent>(int capacity = 1024);
}
