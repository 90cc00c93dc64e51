namespace Grid.Bench.Chain;

/// <summary>What a <see cref="BareScan"/> read: blocks (genesis included), deposits found, headers fetched, log ranges, and how long it took.</summary>
public sealed record BareScanResult(long Blocks, long Deposits, long Headers, long Ranges, TimeSpan Elapsed)
{
    public double BlocksPerSecond => Blocks / Elapsed.TotalSeconds;
}
