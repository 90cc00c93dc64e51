namespace Grid.Runtime.Metrics;

/// <summary>
/// Call latency in power-of-two microsecond buckets (bucket i holds latencies below 2^i µs; the last
/// one everything above). Fixed size, lock-free, striped per core like <see cref="StripedCounter"/>.
/// </summary>
internal sealed class LatencyHistogram
{
    public const int BucketCount = 28; // up to 2^27 µs, about 134 s; anything longer lands in the last bucket

    private readonly long[][] _stripes;

    public LatencyHistogram()
    {
        _stripes = new long[Stripes.Count][];
        for (var i = 0; i < _stripes.Length; i++)
        {
            // 16 longs of padding on each side keep stripes off each other's cache lines.
            _stripes[i] = new long[BucketCount + 32];
        }
    }

    public void Record(TimeSpan elapsed)
    {
        var micros = (ulong)Math.Max(0, elapsed.Ticks / TimeSpan.TicksPerMicrosecond);
        var bucket = Math.Min(BucketCount - 1, 64 - System.Numerics.BitOperations.LeadingZeroCount(micros));
        Interlocked.Increment(ref _stripes[Stripes.Current][16 + bucket]);
    }

    public long[] Snapshot()
    {
        var buckets = new long[BucketCount];
        foreach (var stripe in _stripes)
        {
            for (var i = 0; i < BucketCount; i++)
            {
                buckets[i] += Volatile.Read(ref stripe[16 + i]);
            }
        }

        return buckets;
    }

    /// <summary>Upper bound of bucket <paramref name="index"/> in microseconds.</summary>
    public static double UpperBoundMicros(int index) => index == BucketCount - 1 ? double.PositiveInfinity : Math.Pow(2, index);
}
