using Grid.Runtime;

namespace Grid.Runtime.Tests.Grains;

public interface ICycleGrain : IGrainWithStringKey
{
    /// <summary>Calls the next grain of the path, which calls the next, and so on.</summary>
    Task<string> Relay(string[] path, int position);
}
