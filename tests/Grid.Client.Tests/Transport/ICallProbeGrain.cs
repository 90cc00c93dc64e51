using Grid.Runtime;

namespace Grid.Client.Tests.Transport;

/// <summary>A grain for transport tests: answers at once, or waits until the test opens its gate.</summary>
public interface ICallProbeGrain : IGrainWithStringKey
{
    Task<string> Echo(string text);

    Task<string> WaitForGate();
}
