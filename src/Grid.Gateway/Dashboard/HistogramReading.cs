namespace Grid.Gateway.Dashboard;

/// <summary>A histogram's totals: per-bucket counts (the last above every bound) and the sum of the values.</summary>
public sealed record HistogramReading(IReadOnlyList<double> Bounds, IReadOnlyList<long> Counts, double Sum)
{
    public static HistogramReading Empty { get; } = new([], [0], 0);

    public long Count => Counts.Sum();
}
