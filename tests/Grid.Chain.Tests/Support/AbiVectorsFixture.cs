using Xunit;

namespace Grid.Chain.Tests.Support;

/// <summary>Runs abi-vectors.mjs once for the test classes that share it.</summary>
public sealed class AbiVectorsFixture : IAsyncLifetime
{
    private AbiVectors? _vectors;

    public AbiVectors Vectors => _vectors ?? throw new InvalidOperationException("The vectors were not generated.");

    public async Task InitializeAsync() => _vectors = await AbiVectors.GenerateAsync(CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;
}
