using System.Globalization;
using System.Text.Json;
using Grid.TestKit;

namespace Grid.Chain.Tests.Support;

/// <summary>What tests/oracles/abi-vectors.mjs prints: ethers' selectors, calldata and topics for random signatures.</summary>
public sealed record AbiVectors(string Seed, IReadOnlyList<AbiVectors.CallVector> Calls, IReadOnlyList<AbiVectors.EventVector> Events)
{
    public const int Count = 100;

    public static async Task<AbiVectors> GenerateAsync(CancellationToken cancellationToken)
    {
        var json = await NodeOracle.RunAsync("abi-vectors.mjs", ["--seed", OracleSeed.Value, "--count", Count.ToString(CultureInfo.InvariantCulture)], cancellationToken);
        return JsonSerializer.Deserialize<AbiVectors>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException("abi-vectors.mjs printed null.");
    }

    /// <param name="Signature">The canonical signature ethers reduced the declaration to.</param>
    /// <param name="Data">Interface.encodeFunctionData: selector and words.</param>
    /// <param name="Encoded">AbiCoder.encode of the arguments alone.</param>
    public sealed record CallVector(string Signature, string Selector, IReadOnlyList<Argument> Args, string Data, string Encoded)
    {
        public override string ToString() => Signature;
    }

    /// <param name="Type">address, uint256, int256, bool or bytes32.</param>
    /// <param name="Value">Checksummed address, decimal integer, "true"/"false" or 0x hex.</param>
    public sealed record Argument(string Type, string Value);

    public sealed record EventVector(string Signature, string Topic);
}
