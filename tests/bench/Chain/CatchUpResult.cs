namespace Grid.Bench.Chain;

/// <summary>
/// One catch-up: blocks scanned (genesis included) and deposits credited, from the watcher's start to its last
/// credit; how long the first credit took (the first range's reads and the first payments' activation); the longest
/// time without a credit, and when it ended; and the silo's CPU time meanwhile.
/// </summary>
public sealed record CatchUpResult(
    long Blocks,
    long Credits,
    TimeSpan Elapsed,
    TimeSpan FirstCredit,
    TimeSpan LongestPause,
    TimeSpan LongestPauseEnded,
    TimeSpan SiloProcessor)
{
    public double BlocksPerSecond => Blocks / Elapsed.TotalSeconds;

    public double CreditsPerSecond => Credits / Elapsed.TotalSeconds;

    /// <summary>The silo's CPU per credit, in microseconds.</summary>
    public double ProcessorMicroseconds => SiloProcessor.TotalMicroseconds / Credits;
}
