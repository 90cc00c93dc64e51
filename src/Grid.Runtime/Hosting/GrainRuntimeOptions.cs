using Microsoft.Extensions.Options;

namespace Grid.Runtime.Hosting;

/// <summary>Runtime settings (configuration section <c>Grid:Runtime</c>).</summary>
public sealed class GrainRuntimeOptions
{
    /// <summary>How long a caller waits for a grain's answer unless the method or reference says otherwise.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An activation idle this long is collected (noticed within one <see cref="CollectionQuantum"/>).</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Requests that may wait in one activation's mailbox; more are refused with <see cref="GrainOverloadedException"/>.</summary>
    public int MaxPendingRequestsPerActivation { get; set; } = 10_000;

    /// <summary>Upper bound on OnDeactivateAsync and on waiting for turns to finish at shutdown.</summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A silo-wide bound on activations; activating more fails rather than exhausting memory.</summary>
    public int MaxActivations { get; set; } = 1_000_000;

    /// <summary>
    /// Clustered silos read the reminder table again this often, so a reminder whose owner died fires at the
    /// grain's next owner at most this late (plus one reminder period).
    /// </summary>
    public TimeSpan ReminderRefreshPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws <see cref="OptionsValidationException"/> naming every bad setting.</summary>
    public void Validate()
    {
        var failures = new List<string>();
        // A response timeout goes to other silos in whole milliseconds and into timers, and grains derive shorter ones from
        // it: from 10 ms to a day, as a reference's own (GrainCallOptions). The periods below feed timers too; the collection
        // age is only compared with (a year or more means "never").
        Within(ResponseTimeout, TimeSpan.FromMilliseconds(10), GrainCallOptions.MaxResponseTimeout, nameof(ResponseTimeout), failures);
        Within(CollectionAge, TimeSpan.FromMilliseconds(1), TimeSpan.MaxValue, nameof(CollectionAge), failures);
        Within(CollectionQuantum, TimeSpan.FromMilliseconds(1), MaxPeriod, nameof(CollectionQuantum), failures);
        Within(DeactivationTimeout, TimeSpan.FromMilliseconds(1), MaxPeriod, nameof(DeactivationTimeout), failures);
        Within(ReminderRefreshPeriod, TimeSpan.FromMilliseconds(1), MaxPeriod, nameof(ReminderRefreshPeriod), failures);
        AtLeastOne(MaxPendingRequestsPerActivation, nameof(MaxPendingRequestsPerActivation), failures);
        AtLeastOne(MaxActivations, nameof(MaxActivations), failures);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(GrainRuntimeOptions), failures);
        }
    }

    public const string SectionName = "Grid:Runtime";

    /// <summary>The longest of the other periods: timers take at most about 49 days, and sums of them must not overflow.</summary>
    private static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(30);

    private static void Within(TimeSpan value, TimeSpan least, TimeSpan most, string name, List<string> failures)
    {
        if (value < least || value > most)
        {
            failures.Add($"{SectionName}:{name} must be from {least} to {most} (was {value}).");
        }
    }

    private static void AtLeastOne(int value, string name, List<string> failures)
    {
        if (value < 1)
        {
            failures.Add($"{SectionName}:{name} must be at least 1 (was {value}).");
        }
    }
}
