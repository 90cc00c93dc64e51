namespace Grid.Bench.Chain;

/// <summary>Operator deposits answered, how long they took, and the silo's CPU time meanwhile.</summary>
public sealed record DepositRun(long Deposits, TimeSpan Elapsed, TimeSpan SiloProcessor)
{
    public double PerSecond => Deposits / Elapsed.TotalSeconds;

    /// <summary>The silo's CPU per deposit, in microseconds.</summary>
    public double ProcessorMicroseconds => SiloProcessor.TotalMicroseconds / Deposits;
}
