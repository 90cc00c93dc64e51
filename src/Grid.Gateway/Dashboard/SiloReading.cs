namespace Grid.Gateway.Dashboard;

/// <summary>
/// One silo's counters as they stand (totals since it started), what each silo sends the dashboard's sampler; the
/// sampler turns two readings into rates. <see cref="Feed"/> holds the journal entries it saw after the cursor asked for.
/// </summary>
/// <param name="CpuSeconds">Processor time the process used since it started.</param>
/// <param name="MemoryBytes">The process's working set.</param>
/// <param name="ManagedBytes">Bytes on the managed heap.</param>
public sealed record SiloReading(
    string SiloId,
    string Name,
    DateTimeOffset StartedAt,
    DateTimeOffset At,
    double CpuSeconds,
    int Processors,
    long MemoryBytes,
    long ManagedBytes,
    IReadOnlyDictionary<string, long> ActivationsByType,
    IReadOnlyList<MethodReading> Methods,
    long JournalAppends,
    HistogramReading AppendBatchSizes,
    HistogramReading AppendSeconds,
    IReadOnlyList<WebhookReading> Webhooks,
    IReadOnlyList<ChainReading> Chains,
    IReadOnlyList<FeedEntry> Feed);
