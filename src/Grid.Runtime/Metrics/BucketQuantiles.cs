namespace Grid.Runtime.Metrics;

/// <summary>Quantiles read from bucket counts: which bucket holds the call at the quantile's rank.</summary>
public static class BucketQuantiles
{
    /// <summary>The index of the bucket that holds the given quantile (0..1); null when nothing was counted.</summary>
    public static int? Index(IReadOnlyList<long> counts, double quantile)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var total = counts.Sum();
        if (total == 0)
        {
            return null;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return i;
            }
        }

        return counts.Count - 1;
    }
}
