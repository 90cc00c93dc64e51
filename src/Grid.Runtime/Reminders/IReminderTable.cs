namespace Grid.Runtime.Reminders;

/// <summary>Where reminders are kept (implemented by Grid.Storage), so they outlive silos.</summary>
public interface IReminderTable
{
    Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken);

    Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken);

    /// <summary>True when a row was removed.</summary>
    Task<bool> DeleteAsync(GrainId grainId, string name, CancellationToken cancellationToken);
}
