using Grid.Runtime;

namespace Grid.Runtime.Tests.Grains;

public interface IActivationTimerGrain : IGrainWithStringKey
{
    Task<int> Ticks();
}
