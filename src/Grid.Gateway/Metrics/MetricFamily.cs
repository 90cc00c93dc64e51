namespace Grid.Gateway.Metrics;

/// <summary>One Prometheus metric: its name, type and help, and the aggregated series of its instrument.</summary>
internal abstract class MetricFamily(string name, string type, string help)
{
    public string Name { get; } = name;

    /// <summary><c>counter</c>, <c>gauge</c> or <c>histogram</c>.</summary>
    public string Type { get; } = type;

    public string Help { get; } = help;

    /// <summary>Measurements dropped because the metric already had its maximum number of series.</summary>
    public abstract long Dropped { get; }

    /// <summary>One measurement from the instrument; called on the instrument's hot path, so lock-free.</summary>
    public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    public abstract void Write(PrometheusTextWriter writer);
}
