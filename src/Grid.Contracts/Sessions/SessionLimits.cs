namespace Grid.Contracts.Sessions;

/// <summary>Bounds on what a session takes, so every cost stays exact in a decimal and every amount fits the ledger.</summary>
public static class SessionLimits
{
    /// <summary>More units than this in one report (or between checkpoints) is a mistake, not usage.</summary>
    public const long MaxUnitsPerReport = 1_000_000_000_000;

    public const long MaxTotalUnits = 1_000_000_000_000_000;

    /// <summary>A report may cross at most this many checkpoints (each is up to three ledger steps).</summary>
    public const int MaxCheckpointsPerReport = 100;

    public const decimal MaxPricePerUnit = 1_000_000_000m;
}
