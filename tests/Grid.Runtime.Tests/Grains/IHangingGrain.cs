using Grid.Runtime;

namespace Grid.Runtime.Tests.Grains;

public interface IHangingGrain : IGrainWithStringKey
{
    /// <summary>Never completes.</summary>
    Task Hang();

    [ResponseTimeout(0.3)]
    Task HangBriefly();

    /// <summary>Completes when the test opens the gate.</summary>
    Task Block();

    /// <summary>Counts how often it ran.</summary>
    Task<int> Answer();
}
