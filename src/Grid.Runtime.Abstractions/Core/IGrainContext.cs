namespace Grid.Runtime;

/// <summary>What the runtime offers a grain activation.</summary>
public interface IGrainContext
{
    GrainId GrainId { get; }

    IGrainFactory GrainFactory { get; }

    TimeProvider TimeProvider { get; }

    /// <summary>
    /// A timer for this activation only (not durable). The callback runs as a turn of the grain, and
    /// the next tick is scheduled only after the previous one finished, so ticks never overlap.
    /// </summary>
    IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period);

    /// <summary>Registers or replaces a durable reminder; the grain must implement <see cref="IRemindable"/>.</summary>
    Task RegisterOrUpdateReminderAsync(string name, TimeSpan dueTime, TimeSpan period, CancellationToken cancellationToken = default);

    Task UnregisterReminderAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Deactivates the activation once the current turns are done.</summary>
    void DeactivateOnIdle();

    /// <summary>Hands an event to every current subscriber of this grain (see <see cref="IGrainEvents"/>). Never blocks.</summary>
    void Publish<TEvent>(TEvent @event);
}
