using System.Diagnostics;

namespace Grid.Bench.Ledger;

/// <summary>Percentiles of Stopwatch tick counts sorted ascending.</summary>
public static class SortedTicks
{
    /// <summary>The nearest-rank percentile in milliseconds; NaN when there are none.</summary>
    public static double NearestRank(this long[] sorted, double fraction)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}
