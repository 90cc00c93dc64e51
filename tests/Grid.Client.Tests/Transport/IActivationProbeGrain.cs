using Grid.Runtime;

namespace Grid.Client.Tests.Transport;

/// <summary>A grain whose activation fails, as one whose state cannot be read while its database is out of reach.</summary>
public interface IActivationProbeGrain : IGrainWithStringKey
{
    Task<string> Ping();
}
