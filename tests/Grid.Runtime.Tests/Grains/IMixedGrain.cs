using Grid.Runtime;

namespace Grid.Runtime.Tests.Grains;

public interface IMixedGrain : IGrainWithStringKey
{
    /// <summary>0: synchronous; 1: awaits on the grain's thread; 2: finishes on a pool thread (ConfigureAwait(false)); 3: awaits a real delay.</summary>
    Task<long> Step(int mode);

    Task<long> Total();

    Task Leave();
}
