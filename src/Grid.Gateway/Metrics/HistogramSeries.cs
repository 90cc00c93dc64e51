namespace Grid.Gateway.Metrics;

/// <summary>
/// One histogram series: a count per bucket (the last one above every bound) and the sum. There is no
/// separate total: the exposition derives it from the buckets, so <c>_count</c> always equals the <c>+Inf</c> bucket.
/// </summary>
internal sealed class HistogramSeries(int buckets)
{
    private readonly long[] _counts = new long[buckets];
    private long _sumBits;

    public double Sum => AtomicDouble.Read(ref _sumBits);

    public void Observe(int bucket, double value)
    {
        Interlocked.Increment(ref _counts[bucket]);
        AtomicDouble.Add(ref _sumBits, value);
    }

    public long[] Counts()
    {
        var counts = new long[_counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref _counts[i]);
        }

        return counts;
    }
}
