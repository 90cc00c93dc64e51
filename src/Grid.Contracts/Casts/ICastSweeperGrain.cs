using Grid.Runtime;

namespace Grid.Contracts.Casts;

/// <summary>
/// The one sweeper of casts in a cluster (key: <see cref="Key"/>): on its own timer it reads the casts whose records
/// say they are due (past their timeout, or an ending cut short) and asks each to <see cref="ICastGrain.Sweep"/>. A
/// reminder brings it back after a restart or a failover.
/// </summary>
public interface ICastSweeperGrain : IGrainWithStringKey
{
    public const string Key = "casts";

    /// <summary>Activates the sweeper (starting its timer and reminder).</summary>
    Task Start();
}
