using Grid.Ledger.Persistence;

namespace Grid.Grains.Tests.Support;

/// <summary>The real usage store, whose next write can be made to fail.</summary>
public sealed class FailingUsageStore(IUsageStore inner) : IUsageStore
{
    private int _failNext;

    public void FailNext() => Interlocked.Exchange(ref _failNext, 1);

    public Task RecordAsync(UsageRecord record, CancellationToken cancellationToken) =>
        Interlocked.Exchange(ref _failNext, 0) == 1
            ? Task.FromException(new InvalidOperationException("The usage table is out of reach (test)."))
            : inner.RecordAsync(record, cancellationToken);

    public Task<IReadOnlyList<UsageSummaryRow>> SummarizeAsync(string accountId, DateTimeOffset from, DateTimeOffset to, UsageGrouping grouping, CancellationToken cancellationToken) =>
        inner.SummarizeAsync(accountId, from, to, grouping, cancellationToken);
}
