using Grid.Runtime;

namespace Grid.Runtime.Tests.Grains;

public interface IProbeGrain : IGrainWithStringKey
{
    /// <summary>Does a few awaits, recording overlap with other calls of the same grain.</summary>
    Task Work(int awaits);
}

// A separate interface, not derived from IProbeGrain: one grain interface maps to one grain class.
public interface IReentrantProbeGrain : IGrainWithStringKey
{
    Task Work(int awaits);

    /// <summary>Counts itself in the call, then waits until the test opens the silo's gate.</summary>
    Task WorkBehindGate();
}
