using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Grid.Storage.Metrics;

/// <summary>
/// Instruments of the "Grid.Storage" meter: journal entries appended, entries per durable append batch
/// (one transaction of the silo-wide journal writer, however many accounts it merged) and how long each
/// batch took to commit, by provider. Recorded once per transaction, so their cost is lost in the commit's.
/// </summary>
public sealed class StorageMetrics
{
    public const string MeterName = "Grid.Storage";
    public const string ProviderTag = "provider";
    public const string OutcomeTag = "outcome";

    private readonly TimeProvider _time;
    private readonly Counter<long> _appendedEntries;
    private readonly Histogram<long> _batchSize;
    private readonly Histogram<double> _appendDuration;

    public StorageMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _time = time;
        var meter = meterFactory.Create(MeterName);
        _appendedEntries = meter.CreateCounter<long>("grid.journal.appends", unit: "{entry}", description: "Journal entries made durable.");
        _batchSize = meter.CreateHistogram(
            "grid.journal.append.batch.size",
            unit: "{entry}",
            description: "Journal entries per committed append transaction (appends of many accounts merge into one).",
            tags: null,
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] });
        _appendDuration = meter.CreateHistogram(
            "grid.storage.append.duration",
            unit: "s",
            description: "Time of one journal append transaction, from taking a connection to its commit, by provider and outcome (ok, conflict, error).",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
    }

    /// <summary>A timestamp to pass back when the batch ends.</summary>
    public long Start() => _time.GetTimestamp();

    internal void AppendCommitted(StorageProvider provider, int entries, long startedAt)
    {
        var elapsed = _time.GetElapsedTime(startedAt);
        var byProvider = new TagList { { ProviderTag, ProviderName(provider) } };
        _appendedEntries.Add(entries, in byProvider);
        _batchSize.Record(entries, in byProvider);
        RecordDuration(provider, "ok", elapsed);
    }

    internal void AppendFailed(StorageProvider provider, bool conflict, long startedAt) =>
        RecordDuration(provider, conflict ? "conflict" : "error", _time.GetElapsedTime(startedAt));

    private void RecordDuration(StorageProvider provider, string outcome, TimeSpan elapsed) =>
        _appendDuration.Record(elapsed.TotalSeconds, new TagList { { ProviderTag, ProviderName(provider) }, { OutcomeTag, outcome } });

    private static string ProviderName(StorageProvider provider) => provider == StorageProvider.Postgres ? StorageOptions.Postgres : StorageOptions.Sqlite;
}
