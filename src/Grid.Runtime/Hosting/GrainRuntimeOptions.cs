namespace Grid.Runtime.Hosting;

/// <summary>Runtime settings (configuration section <c>Grid:Runtime</c>).</summary>
public sealed class GrainRuntimeOptions
{
    /// <summary>How long a caller waits for a grain's answer unless the method or reference says otherwise.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An activation idle this long is collected.</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Requests that may wait in one activation's mailbox; more are refused with <see cref="GrainOverloadedException"/>.</summary>
    public int MaxPendingRequestsPerActivation { get; set; } = 10_000;

    /// <summary>Upper bound on OnDeactivateAsync and on waiting for turns to finish at shutdown.</summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A silo-wide bound on activations; activating more fails rather than exhausting memory.</summary>
    public int MaxActivations { get; set; } = 1_000_000;

    internal void Validate()
    {
        Positive(ResponseTimeout, nameof(ResponseTimeout));
        Positive(CollectionAge, nameof(CollectionAge));
        Positive(CollectionQuantum, nameof(CollectionQuantum));
        Positive(DeactivationTimeout, nameof(DeactivationTimeout));
        if (MaxPendingRequestsPerActivation < 1 || MaxActivations < 1)
        {
            throw new ArgumentException("Grid:Runtime limits must be at least 1.");
        }
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Grid:Runtime:{name} must be positive.");
        }
    }
}
