using System.Text.Json;
using Grid.TestKit;

namespace Grid.Chain.TestKit.Contracts;

/// <summary>
/// Contracts compiled at test time by solc-js (tests/oracles/compile-contracts.mjs, optimizer on, 200 runs): the grid's
/// deposit contract from deploy/contracts and the test contracts from tests/oracles/contracts. Compiling takes a second
/// or two, so a fixture compiles once and shares the result (see <see cref="ChainFixture"/>).
/// </summary>
public sealed class ContractArtifacts
{
    public const string GridDeposit = "GridDeposit";
    public const string TestUsd = "TestUsd";
    public const string TestPriceFeed = "TestPriceFeed";
    public const string TestQuirkyToken = "TestQuirkyToken";

    private static readonly string[] SolcPackage = ["solc"];

    private readonly IReadOnlyDictionary<string, ContractArtifact> _contracts;

    private ContractArtifacts(IReadOnlyDictionary<string, ContractArtifact> contracts) => _contracts = contracts;

    public IEnumerable<string> Names => _contracts.Keys;

    public ContractArtifact this[string name] =>
        _contracts.TryGetValue(name, out var artifact)
            ? artifact
            : throw new KeyNotFoundException($"No compiled contract named {name}; there are {string.Join(", ", _contracts.Keys)}.");

    /// <summary>Compiles deploy/contracts/GridDeposit.sol and every .sol file in tests/oracles/contracts.</summary>
    public static Task<ContractArtifacts> CompileGridContractsAsync(CancellationToken cancellationToken)
    {
        var oracles = NodeOracle.FindOraclesDirectory(SolcPackage);
        var deposit = Path.GetFullPath(Path.Combine(oracles, "..", "..", "deploy", "contracts", "GridDeposit.sol"));
        var tests = Directory.GetFiles(Path.Combine(oracles, "contracts"), "*.sol").Order(StringComparer.Ordinal);
        return CompileAsync([deposit, .. tests], cancellationToken);
    }

    /// <summary>Compiles the given Solidity files; fails with solc's messages on an error or a warning.</summary>
    public static async Task<ContractArtifacts> CompileAsync(IEnumerable<string> solidityFiles, CancellationToken cancellationToken)
    {
        var files = solidityFiles.Select(Path.GetFullPath).ToList();
        var json = await NodeOracle.RunAsync("compile-contracts.mjs", files, SolcPackage, standardInput: null, cancellationToken);
        using var document = JsonDocument.Parse(json);
        var contracts = new Dictionary<string, ContractArtifact>(StringComparer.Ordinal);
        foreach (var contract in document.RootElement.EnumerateObject())
        {
            contracts[contract.Name] = new ContractArtifact(
                contract.Name,
                contract.Value.GetProperty("abi").Clone(),
                contract.Value.GetProperty("bytecode").GetString() ?? "0x");
        }

        return new ContractArtifacts(contracts);
    }
}
