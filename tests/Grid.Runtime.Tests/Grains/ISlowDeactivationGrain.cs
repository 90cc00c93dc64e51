using Grid.Runtime;

namespace Grid.Runtime.Tests.Grains;

/// <summary>A grain whose OnDeactivateAsync runs past the deactivation timeout, ignoring its token (a stuck write).</summary>
public interface ISlowDeactivationGrain : IGrainWithStringKey
{
    Task Touch();

    /// <summary>Asks for deactivation once this call ends.</summary>
    Task Leave();
}
