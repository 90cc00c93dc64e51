using Grid.Runtime;

namespace Grid.Runtime.Tests.Grains;

public interface IStuckActivationGrain : IGrainWithStringKey
{
    Task Touch();
}
