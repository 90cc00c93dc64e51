using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Grid.Gateway.Metrics;

/// <summary>
/// Listens to the grid's meters (those named <c>Grid.*</c> made by this host's <see cref="IMeterFactory"/>,
/// so silos sharing a process stay apart) and keeps their measurements aggregated, lock-free on the
/// recording side: counters and gauges as values, histograms as fixed buckets. Observable instruments are
/// read only when <see cref="Scrape"/> writes the Prometheus text. Each metric keeps at most
/// <see cref="MaxSeriesPerMetric"/> label sets; measurements for more are dropped and counted in
/// <c>grid_metrics_dropped_measurements_total</c>.
/// </summary>
public sealed partial class PrometheusCollector : IDisposable
{
    public const int MaxSeriesPerMetric = 1000;
    public const string DroppedMetricName = "grid_metrics_dropped_measurements_total";

    private const string MeterPrefix = "Grid.";

    private readonly IMeterFactory _meters;
    private readonly ILogger<PrometheusCollector> _logger;
    private readonly MeterListener _listener;
    private readonly int _maxSeries;
    private readonly Lock _familiesLock = new();
    private readonly Lock _scrapeLock = new();
    private readonly SortedDictionary<string, MetricFamily> _families = new(StringComparer.Ordinal); // guarded by _familiesLock

    public PrometheusCollector(IMeterFactory meters, ILogger<PrometheusCollector> logger)
        : this(meters, logger, MaxSeriesPerMetric)
    {
    }

    /// <param name="maxSeries">Label sets kept per metric.</param>
    public PrometheusCollector(IMeterFactory meters, ILogger<PrometheusCollector> logger, int maxSeries)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeries, 1);
        _meters = meters;
        _logger = logger;
        _maxSeries = maxSeries;
        _listener = new MeterListener { InstrumentPublished = OnInstrumentPublished };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments, then writes every metric in the text format (version 0.0.4).</summary>
    public string Scrape()
    {
        var text = new StringBuilder(16 * 1024);
        var writer = new PrometheusTextWriter(text);
        lock (_scrapeLock)
        {
            // Observed values replace the previous ones, so two scrapes must not interleave their readings.
            _listener.RecordObservableInstruments();
            MetricFamily[] families;
            lock (_familiesLock)
            {
                families = [.. _families.Values];
            }

            foreach (var family in families)
            {
                family.Write(writer);
            }

            writer.WriteFamily(DroppedMetricName, "counter", $"Measurements dropped because their metric already had {_maxSeries} label sets.");
            foreach (var family in families.Where(f => f.Dropped > 0))
            {
                writer.WriteSample(DroppedMetricName, PrometheusTextWriter.RenderLabels([new("metric", family.Name)]), family.Dropped);
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>
    /// The metric named <paramref name="name"/> (its Prometheus name) as recorded so far, or null when no instrument
    /// made it yet. Observable instruments are not read here: their values are as of the last scrape.
    /// </summary>
    internal MetricFamily? Find(string name)
    {
        lock (_familiesLock)
        {
            return _families.GetValueOrDefault(name);
        }
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!ReferenceEquals(instrument.Meter.Scope, _meters) || !instrument.Meter.Name.StartsWith(MeterPrefix, StringComparison.Ordinal))
        {
            return;
        }

        if (Describe(instrument) is not { } family)
        {
            LogUnsupported(_logger, instrument.Meter.Name, instrument.Name, instrument.GetType().Name);
            return;
        }

        lock (_familiesLock)
        {
            if (_families.TryGetValue(family.Name, out var existing))
            {
                // Another instrument with this name (a meter made twice): share the series if it is the same kind.
                if (existing.Type != family.Type)
                {
                    LogNameClash(_logger, family.Name, instrument.Meter.Name, instrument.Name);
                    return;
                }

                family = existing;
            }
            else
            {
                _families.Add(family.Name, family);
            }
        }

        listener.EnableMeasurementEvents(instrument, family);
    }

    /// <summary>The family for an instrument of a supported kind and value type (long, int, double); null otherwise.</summary>
    private MetricFamily? Describe(Instrument instrument)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        var valueType = type.GetGenericArguments()[0];
        if (valueType != typeof(long) && valueType != typeof(int) && valueType != typeof(double))
        {
            return null;
        }

        var kind = type.GetGenericTypeDefinition();
        var help = string.IsNullOrWhiteSpace(instrument.Description) ? instrument.Name : instrument.Description;
        if (kind == typeof(Histogram<>))
        {
            return new HistogramFamily(PrometheusNames.MetricName(instrument, isCounter: false), help, HistogramBounds.Of(instrument), _maxSeries);
        }

        var (prometheusType, replaces) = kind switch
        {
            _ when kind == typeof(Counter<>) => ("counter", false),
            _ when kind == typeof(ObservableCounter<>) => ("counter", true),
            _ when kind == typeof(UpDownCounter<>) => ("gauge", false),
            _ when kind == typeof(ObservableUpDownCounter<>) || kind == typeof(ObservableGauge<>) || kind == typeof(Gauge<>) => ("gauge", true),
            _ => (null, false),
        };
        return prometheusType is null
            ? null
            : new ValueFamily(PrometheusNames.MetricName(instrument, isCounter: prometheusType == "counter"), prometheusType, help, replaces, _maxSeries);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metrics: instrument {Meter}/{Instrument} ({Kind}) is of a kind /metrics does not export")]
    private static partial void LogUnsupported(ILogger logger, string meter, string instrument, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metrics: {Metric} is already another kind of metric; {Meter}/{Instrument} is not exported")]
    private static partial void LogNameClash(ILogger logger, string metric, string meter, string instrument);
}
