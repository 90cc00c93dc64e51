using System.Text.Json;
using Grid.TestKit;

namespace Grid.Chain.Tests.Support;

/// <summary>What tests/oracles/eth-vectors.mjs prints: ethers' answers for random inputs.</summary>
public sealed record EthVectors(
    string Seed,
    IReadOnlyList<EthVectors.KeccakVector> Keccak,
    IReadOnlyList<EthVectors.Eip55Vector> Eip55,
    IReadOnlyList<EthVectors.PersonalVector> Personal,
    IReadOnlyList<EthVectors.RecoveryVector> Recovery)
{
    public const int Count = 200;

    public static async Task<EthVectors> GenerateAsync(CancellationToken cancellationToken)
    {
        var json = await NodeOracle.RunAsync("eth-vectors.mjs", ["--seed", OracleSeed.Value, "--count", Count.ToString(System.Globalization.CultureInfo.InvariantCulture)], cancellationToken);
        return JsonSerializer.Deserialize<EthVectors>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException("eth-vectors.mjs printed null.");
    }

    /// <summary>keccak256 of the bytes <paramref name="Input"/> (0x hex).</summary>
    public sealed record KeccakVector(string Input, string Hash);

    /// <summary>getAddress of <paramref name="Lower"/>.</summary>
    public sealed record Eip55Vector(string Lower, string Checksummed);

    /// <summary>hashMessage of a text <paramref name="Message"/> or of the bytes <paramref name="MessageHex"/>.</summary>
    public sealed record PersonalVector(string? Message, string? MessageHex, string Hash);

    /// <summary>A wallet's signMessage of <paramref name="Message"/> and the address verifyMessage recovers.</summary>
    public sealed record RecoveryVector(string Message, string Signature, string Address);
}
