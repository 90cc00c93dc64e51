using Grid.Chain.TestKit.Anvil;
using Grid.Chain.TestKit.Contracts;

namespace Grid.Chain.TestKit;

/// <summary>
/// For a test collection (xunit <c>ICollectionFixture</c>) or class: compiles the contracts once, on first use, and
/// starts chains with them. Nodes are cheap to start, so each test gets its own and reorgs or restarts of one test
/// cannot disturb another.
/// </summary>
public sealed class ChainFixture
{
    private readonly Lazy<Task<ContractArtifacts>> _artifacts = new(() => ContractArtifacts.CompileGridContractsAsync(CancellationToken.None));

    /// <summary>The compiled contracts; the first call compiles them, later calls share the result.</summary>
    public Task<ContractArtifacts> GetArtifactsAsync() => _artifacts.Value;

    /// <summary>A new Anvil node with the grid's contracts deployed (see <see cref="TestChain"/>).</summary>
    public async Task<TestChain> StartChainAsync(AnvilOptions? options, CancellationToken cancellationToken) =>
        await TestChain.StartAsync(await GetArtifactsAsync(), options, cancellationToken);
}
