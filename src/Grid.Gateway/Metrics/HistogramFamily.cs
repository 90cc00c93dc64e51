namespace Grid.Gateway.Metrics;

/// <summary>
/// A histogram with fixed bucket bounds: <c>_bucket{le=...}</c> counts (cumulative, ending at <c>+Inf</c>),
/// <c>_sum</c> and <c>_count</c> per series. A value equal to a bound counts in that bound's bucket.
/// </summary>
internal sealed class HistogramFamily : MetricFamily
{
    private readonly double[] _bounds;
    private readonly SeriesTable<HistogramSeries> _series;

    /// <param name="bounds">Finite, strictly ascending upper bounds (+Inf is implied).</param>
    public HistogramFamily(string name, string help, double[] bounds, int maxSeries)
        : base(name, "histogram", help)
    {
        _bounds = bounds;
        _series = new SeriesTable<HistogramSeries>(maxSeries, () => new HistogramSeries(bounds.Length + 1));
    }

    public override long Dropped => _series.Dropped;

    /// <summary>The finite upper bounds; the counts of <see cref="Values"/> have one more bucket (+Inf).</summary>
    public IReadOnlyList<double> Bounds => _bounds;

    /// <summary>Every series' labels, per-bucket (not cumulative) counts and sum.</summary>
    public IEnumerable<(IReadOnlyDictionary<string, string> Labels, long[] Counts, double Sum)> Values() =>
        _series.Series.Select(s => (s.LabelValues, s.Series.Counts(), s.Series.Sum));

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (double.IsNaN(value) || _series.Find(tags) is not { } series)
        {
            return;
        }

        var index = Array.BinarySearch(_bounds, value);
        series.Observe(index >= 0 ? index : ~index, value);
    }

    public override void Write(PrometheusTextWriter writer)
    {
        writer.WriteFamily(Name, Type, Help);
        foreach (var (labels, series, _) in _series.Series)
        {
            var counts = series.Counts();
            long cumulative = 0;
            for (var i = 0; i < _bounds.Length; i++)
            {
                cumulative += counts[i];
                writer.WriteBucket(Name, labels, _bounds[i], cumulative);
            }

            cumulative += counts[^1];
            writer.WriteBucket(Name, labels, double.PositiveInfinity, cumulative);
            writer.WriteSample(Name + "_sum", labels, series.Sum);
            writer.WriteSample(Name + "_count", labels, cumulative);
        }
    }
}
