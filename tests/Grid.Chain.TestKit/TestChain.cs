using Grid.Chain.TestKit.Anvil;
using Grid.Chain.TestKit.Contracts;
using Grid.Chain.TestKit.Rpc;

namespace Grid.Chain.TestKit;

/// <summary>
/// An Anvil node with the grid's contracts deployed, paying <see cref="Treasury"/>, and a client for it. The treasury
/// is no dev account, so its balances change only by what is paid to it.
/// </summary>
public sealed class TestChain : IAsyncDisposable
{
    /// <summary>The treasury of a test chain: an address nobody holds a key for.</summary>
    public const string DefaultTreasury = "0x7ea5a0000000000000000000000000000000c0de";

    private TestChain(AnvilNode node, AnvilClient client, ChainDeployment contracts, IReadOnlyList<string> devAccounts)
    {
        Node = node;
        Client = client;
        Contracts = contracts;
        DevAccounts = devAccounts;
    }

    public AnvilNode Node { get; }

    public AnvilClient Client { get; }

    public ChainDeployment Contracts { get; }

    /// <summary>The node's unlocked accounts; [0] deployed the contracts, the others are payers.</summary>
    public IReadOnlyList<string> DevAccounts { get; }

    public string Treasury => Contracts.Treasury;

    public static async Task<TestChain> StartAsync(ContractArtifacts artifacts, AnvilOptions? options, CancellationToken cancellationToken)
    {
        var node = await AnvilNode.StartAsync(options, cancellationToken);
        AnvilClient? client = null;
        try
        {
            client = new AnvilClient(node.RpcUrl);
            var accounts = await client.GetDevAccountsAsync(cancellationToken);
            var contracts = await ChainDeployment.DeployAsync(client, artifacts, DefaultTreasury, accounts[0], cancellationToken);
            return new TestChain(node, client, contracts, accounts);
        }
        catch
        {
            client?.Dispose();
            await node.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Node.DisposeAsync();
    }
}
