using Grid.Runtime;

namespace Grid.Client.Tests.Transport;

[GrainType(TypeName)]
public sealed class ActivationProbeGrain : Grain, IActivationProbeGrain
{
    public const string TypeName = "activationprobe";

    public override Task OnActivateAsync(CancellationToken cancellationToken) =>
        throw new InvalidOperationException("its state could not be read");

    public Task<string> Ping() => Task.FromResult("never");
}
