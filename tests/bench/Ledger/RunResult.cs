namespace Grid.Bench.Ledger;

/// <summary>
/// What one side did in one run (or in several runs added up): answered operations (a hold and its
/// capture are two), their latencies sorted ascending in Stopwatch ticks, refusals and failures.
/// </summary>
/// <param name="ProcessorTime">CPU time this process spent during the run (both sides' client code; the grid's silo too).</param>
/// <param name="ServerProcessorTime">CPU time the database server spent during the run, when it could be measured.</param>
/// <param name="StartLagP99Milliseconds">Open loop: p99 of how late an idle client started an operation after its scheduled time.</param>
public sealed record RunResult(
    long Acknowledged,
    long Refused,
    long Failed,
    TimeSpan Elapsed,
    TimeSpan ProcessorTime,
    TimeSpan? ServerProcessorTime,
    long[] Latencies,
    double StartLagP99Milliseconds,
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

    public static RunResult From(IReadOnlyList<ClientTally> tallies, TimeSpan elapsed, TimeSpan processorTime, TimeSpan? serverProcessorTime)
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
