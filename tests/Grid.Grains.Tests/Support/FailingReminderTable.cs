using Grid.Runtime;
using Grid.Runtime.Reminders;

namespace Grid.Grains.Tests.Support;

/// <summary>The real reminder table, whose next upsert (of any reminder, or of one name) can be made to fail.</summary>
public sealed class FailingReminderTable(IReminderTable inner) : IReminderTable
{
    private int _failNext;
    private volatile string? _failName;

    public void FailNext() => FailNextOf(null);

    /// <summary>Fails the next upsert of the reminder named <paramref name="name"/> (any, when null); others go through.</summary>
    public void FailNextOf(string? name)
    {
        _failName = name;
        Interlocked.Exchange(ref _failNext, 1);
    }

    public Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken) => inner.ReadAllAsync(cancellationToken);

    public Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken) =>
        (_failName is null || _failName == entry.Name) && Interlocked.Exchange(ref _failNext, 0) == 1
            ? Task.FromException(new InvalidOperationException("The reminder table is out of reach (test)."))
            : inner.UpsertAsync(entry, cancellationToken);

    public Task<bool> DeleteAsync(GrainId grainId, string name, CancellationToken cancellationToken) => inner.DeleteAsync(grainId, name, cancellationToken);
}
