using System.Diagnostics.Metrics;

namespace Grid.Gateway.Metrics;

/// <summary>
/// The bucket bounds of a histogram: those its instrument advises, else fixed defaults for durations in
/// seconds (100 µs to 10 s) or for counts (1 to 10,000).
/// </summary>
internal static class HistogramBounds
{
    public static double[] Of(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            _ => null,
        };
        if (advised is { Length: > 0 } && IsValid(advised))
        {
            return advised;
        }

        return instrument.Unit == "s"
            ? [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
            : [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];
    }

    private static bool IsValid(double[] bounds)
    {
        for (var i = 0; i < bounds.Length; i++)
        {
            if (!double.IsFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1]))
            {
                return false;
            }
        }

        return true;
    }
}
