using Grid.Gateway.Metrics;
using Grid.Runtime.Hosting;
using Grid.Runtime.Metrics;
using Grid.Storage.Metrics;

namespace Grid.Gateway.Dashboard;

/// <summary>
/// Reads this silo's own counters into a <see cref="SiloReading"/>: the runtime's per-type and per-method stats,
/// the storage and webhook instruments as the /metrics collector aggregates them, and the process's CPU time and
/// memory. Nothing here keeps state or runs by itself; it costs something only when asked.
/// </summary>
public sealed class SiloReader(SiloIdentity silo, GrainRuntimeMetrics runtime, PrometheusCollector collector, JournalFeed feed, TimeProvider time)
{
    private static readonly string JournalAppendsMetric = PrometheusNames.MetricName("grid.journal.appends", "{entry}", isCounter: true);
    private static readonly string BatchSizeMetric = PrometheusNames.MetricName("grid.journal.append.batch.size", "{entry}", isCounter: false);
    private static readonly string AppendDurationMetric = PrometheusNames.MetricName("grid.storage.append.duration", "s", isCounter: false);
    private const string ChainHeadMetric = "grid_chain_head";
    private const string ChainCursorMetric = "grid_chain_cursor";
    private const string ChainPendingMetric = "grid_chain_pending";
    private const string ChainFailingMetric = "grid_chain_failing";
    private const string ChainReportedMetric = "grid_chain_reported_seconds";
    private const string ChainTag = "chain_id";

    /// <summary>How long a reading keeps the journal feed listening: a few missed samples do not drop it.</summary>
    public static readonly TimeSpan FeedLease = TimeSpan.FromSeconds(15);

    /// <param name="feedAfter">Feed entries after this number are sent.</param>
    /// <param name="keepFeed">Keep (or start) the journal feed listening; false reads only what it already kept.</param>
    public SiloReading Read(long feedAfter, bool keepFeed)
    {
        if (keepFeed)
        {
            feed.Hold(FeedLease);
        }

        var types = runtime.Snapshot();
        var methods = types
            .SelectMany(t => t.Methods.Select(m => new MethodReading(t.GrainType, m.Label, m.Calls, m.Errors, m.LatencyBuckets)))
            .ToArray();
        return new SiloReading(
            silo.Id,
            silo.Name,
            silo.StartedAt,
            time.GetUtcNow(),
            Environment.CpuUsage.TotalTime.TotalSeconds,
            Environment.ProcessorCount,
            Environment.WorkingSet,
            GC.GetTotalMemory(forceFullCollection: false),
            types.ToDictionary(t => t.GrainType, t => t.Activations, StringComparer.Ordinal),
            methods,
            (long)Sum(collector.Find(JournalAppendsMetric) as ValueFamily, static _ => true),
            Histogram(collector.Find(BatchSizeMetric) as HistogramFamily, static _ => true),
            Histogram(collector.Find(AppendDurationMetric) as HistogramFamily, static labels => labels.GetValueOrDefault(StorageMetrics.OutcomeTag) == "ok"),
            Webhooks(collector.Find(WebhookMetrics.MetricName) as ValueFamily),
            Chains(),
            feed.After(feedAfter));
    }

    private static double Sum(ValueFamily? family, Func<IReadOnlyDictionary<string, string>, bool> include) =>
        family?.Values().Where(v => include(v.Labels)).Sum(v => v.Value) ?? 0;

    /// <summary>The series that <paramref name="include"/> picks, added up (e.g. every provider's).</summary>
    private static HistogramReading Histogram(HistogramFamily? family, Func<IReadOnlyDictionary<string, string>, bool> include)
    {
        if (family is null)
        {
            return HistogramReading.Empty;
        }

        var counts = new long[family.Bounds.Count + 1];
        double sum = 0;
        foreach (var (labels, series, seriesSum) in family.Values())
        {
            if (!include(labels))
            {
                continue;
            }

            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] += series[i];
            }

            sum += seriesSum;
        }

        return new HistogramReading(family.Bounds, counts, sum);
    }

    /// <summary>The chain watchers' gauges that ran on this silo, one reading per chain id.</summary>
    private ChainReading[] Chains()
    {
        if (collector.Find(ChainReportedMetric) is not ValueFamily reported)
        {
            return [];
        }

        var head = ByChain(ChainHeadMetric);
        var cursor = ByChain(ChainCursorMetric);
        var pending = ByChain(ChainPendingMetric);
        var failing = ByChain(ChainFailingMetric);
        return reported.Values()
            .Where(r => ulong.TryParse(r.Labels.GetValueOrDefault(ChainTag), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            .Select(r =>
            {
                var id = r.Labels[ChainTag];
                var scanned = cursor.GetValueOrDefault(id, -1);
                return new ChainReading(
                    ulong.Parse(id, System.Globalization.CultureInfo.InvariantCulture),
                    (ulong)Math.Max(0, head.GetValueOrDefault(id)),
                    scanned >= 0 ? (ulong)scanned : null,
                    (long)pending.GetValueOrDefault(id),
                    failing.GetValueOrDefault(id) > 0,
                    DateTimeOffset.FromUnixTimeMilliseconds((long)(r.Value * 1000)));
            })
            .OrderBy(c => c.ChainId)
            .ToArray();

        Dictionary<string, double> ByChain(string metric) =>
            (collector.Find(metric) as ValueFamily)?.Values()
                .Where(v => v.Labels.ContainsKey(ChainTag))
                .GroupBy(v => v.Labels[ChainTag], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal)
            ?? [];
    }

    private static WebhookReading[] Webhooks(ValueFamily? family) =>
        family?.Values()
            .Select(v => new WebhookReading(
                v.Labels.GetValueOrDefault(WebhookMetrics.ProviderTag, ""),
                v.Labels.GetValueOrDefault(WebhookMetrics.TypeTag, ""),
                v.Labels.GetValueOrDefault(WebhookMetrics.OutcomeTag, ""),
                (long)v.Value))
            .OrderBy(w => w.Provider, StringComparer.Ordinal).ThenBy(w => w.Type, StringComparer.Ordinal).ThenBy(w => w.Outcome, StringComparer.Ordinal)
            .ToArray() ?? [];
}
