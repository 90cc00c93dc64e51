namespace Grid.Gateway.Metrics;

/// <summary>
/// A counter or gauge. Measurements of counters and up-down counters add up; those of observable
/// instruments and gauges are the current value and replace the series' value.
/// </summary>
internal sealed class ValueFamily(string name, string type, string help, bool replaces, int maxSeries) : MetricFamily(name, type, help)
{
    private readonly SeriesTable<ValueSeries> _series = new(maxSeries, static () => new ValueSeries());

    public override long Dropped => _series.Dropped;

    /// <summary>Every series' labels and current value.</summary>
    public IEnumerable<(IReadOnlyDictionary<string, string> Labels, double Value)> Values() =>
        _series.Series.Select(s => (s.LabelValues, s.Series.Value));

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_series.Find(tags) is not { } series)
        {
            return;
        }

        if (replaces)
        {
            series.Set(value);
        }
        else
        {
            series.Add(value);
        }
    }

    public override void Write(PrometheusTextWriter writer)
    {
        writer.WriteFamily(Name, Type, Help);
        foreach (var (labels, series, _) in _series.Series)
        {
            writer.WriteSample(Name, labels, series.Value);
        }
    }
}
