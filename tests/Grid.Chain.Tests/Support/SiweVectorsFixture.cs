using Xunit;

namespace Grid.Chain.Tests.Support;

/// <summary>Runs siwe-vectors.mjs once for the test classes that share it.</summary>
public sealed class SiweVectorsFixture : IAsyncLifetime
{
    private SiweVectors? _vectors;

    public SiweVectors Vectors => _vectors ?? throw new InvalidOperationException("The vectors were not generated.");

    public async Task InitializeAsync() => _vectors = await SiweVectors.GenerateAsync(CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;
}
