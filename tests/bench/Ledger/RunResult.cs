namespace Grid.Bench.Ledger;

/// <summary>
/// What one side did in one run (or in several runs added up): answered operations (a hold and its
/// capture are two), their latencies sorted ascending in Stopwatch ticks, refusals and failures.
/// </summary>
/// <param name="ProcessorTime">CPU time this process spent during the run (both sides' client code; the grid's silo too).</param>
/// <param name="ServerProcessorTime">CPU time the database server spent during the run, when it could be measured.</param>
/// <param name="StartLagP99Milliseconds">Open loop: p99 of how late an idle client started an operation after its scheduled time.</param>
/// <param name="Collections">Garbage collections in this process during the run (all generations).</param>
/// <param name="CollectionPause">Time this process's threads were paused by those collections.</param>
public sealed record RunResult(
    long Acknowledged,
    long Refused,
    long Failed,
    TimeSpan Elapsed,
    TimeSpan ProcessorTime,
    TimeSpan? ServerProcessorTime,
    long[] Latencies,
    double StartLagP99Milliseconds,
    int Collections,
    TimeSpan CollectionPause,
    Exception? FirstFailure)
{
    public long Operations => Acknowledged + Refused;

    public double PerSecond => Operations / Elapsed.TotalSeconds;

    /// <summary>This process's CPU microseconds per operation: the grid's own cost, or the baseline's client cost.</summary>
    public double ProcessorMicrosecondsPerOperation => ProcessorTime.TotalMicroseconds / Operations;

    /// <summary>The database server's CPU microseconds per operation; NaN when not measured.</summary>
    public double ServerMicrosecondsPerOperation => ServerProcessorTime is { } server ? server.TotalMicroseconds / Operations : double.NaN;

    public double P50Milliseconds => Percentile(0.50);

    public double P99Milliseconds => Percentile(0.99);

    public double MaxMilliseconds => Latencies.NearestRank(1.0);

    /// <summary>Collection pause as milliseconds per second of run: the share of time every request stood still.</summary>
    public double CollectionPauseMillisecondsPerSecond => CollectionPause.TotalMilliseconds / Elapsed.TotalSeconds;

    /// <summary>The mean pause of one collection, in milliseconds (0 when there was none).</summary>
    public double MeanCollectionPauseMilliseconds => Collections == 0 ? 0 : CollectionPause.TotalMilliseconds / Collections;

    public static RunResult From(
        IReadOnlyList<ClientTally> tallies, TimeSpan elapsed, TimeSpan processorTime, TimeSpan? serverProcessorTime, int collections, TimeSpan collectionPause)
    {
        var latencies = Sorted(tallies.SelectMany(t => t.Latencies));
        return new RunResult(
            tallies.Sum(t => t.Acknowledged),
            tallies.Sum(t => t.Refused),
            tallies.Sum(t => t.Failed),
            elapsed,
            processorTime,
            serverProcessorTime,
            latencies,
            Sorted(tallies.SelectMany(t => t.StartLags)).NearestRank(0.99),
            collections,
            collectionPause,
            tallies.Select(t => t.FirstFailure).FirstOrDefault(f => f is not null));
    }

    public static RunResult Sum(IReadOnlyList<RunResult> runs)
    {
        var latencies = Sorted(runs.SelectMany(r => r.Latencies));
        return new RunResult(
            runs.Sum(r => r.Acknowledged),
            runs.Sum(r => r.Refused),
            runs.Sum(r => r.Failed),
            runs.Aggregate(TimeSpan.Zero, (total, r) => total + r.Elapsed),
            runs.Aggregate(TimeSpan.Zero, (total, r) => total + r.ProcessorTime),
            runs.All(r => r.ServerProcessorTime is not null) ? runs.Aggregate(TimeSpan.Zero, (total, r) => total + r.ServerProcessorTime!.Value) : null,
            latencies,
            runs.Max(r => r.StartLagP99Milliseconds),
            runs.Sum(r => r.Collections),
            runs.Aggregate(TimeSpan.Zero, (total, r) => total + r.CollectionPause),
            runs.Select(r => r.FirstFailure).FirstOrDefault(f => f is not null));
    }

    /// <summary>Nearest-rank percentile of the latencies, in milliseconds.</summary>
    public double Percentile(double fraction) => Latencies.NearestRank(fraction);

    private static long[] Sorted(IEnumerable<long> values)
    {
        var array = values.ToArray();
        Array.Sort(array);
        return array;
    }
}
