using Grid.Runtime;
using Grid.Runtime.Reminders;

namespace Grid.Grains.Tests.Support;

/// <summary>The real reminder table, whose next upsert can be made to fail.</summary>
public sealed class FailingReminderTable(IReminderTable inner) : IReminderTable
{
    private int _failNext;

    public void FailNext() => Interlocked.Exchange(ref _failNext, 1);

    public Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken) => inner.ReadAllAsync(cancellationToken);

    public Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken) =>
        Interlocked.Exchange(ref _failNext, 0) == 1
            ? Task.FromException(new InvalidOperationException("The reminder table is out of reach (test)."))
            : inner.UpsertAsync(entry, cancellationToken);

    public Task<bool> DeleteAsync(GrainId grainId, string name, CancellationToken cancellationToken) => inner.DeleteAsync(grainId, name, cancellationToken);
}
