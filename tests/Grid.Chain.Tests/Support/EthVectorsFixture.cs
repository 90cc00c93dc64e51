using Xunit;

namespace Grid.Chain.Tests.Support;

/// <summary>Runs eth-vectors.mjs once for the test classes that share it.</summary>
public sealed class EthVectorsFixture : IAsyncLifetime
{
    private EthVectors? _vectors;

    public EthVectors Vectors => _vectors ?? throw new InvalidOperationException("The vectors were not generated.");

    public async Task InitializeAsync() => _vectors = await EthVectors.GenerateAsync(CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;
}
