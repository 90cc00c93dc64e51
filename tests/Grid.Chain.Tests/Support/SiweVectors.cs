using System.Globalization;
using System.Text.Json;
using Grid.TestKit;

namespace Grid.Chain.Tests.Support;

/// <summary>What tests/oracles/siwe-vectors.mjs prints: messages the siwe package wrote, signed by ethers wallets.</summary>
public sealed record SiweVectors(
    string Seed,
    DateTimeOffset Now,
    SiweVectors.OracleExpectations Expectations,
    IReadOnlyList<SiweVectors.Vector> Vectors,
    IReadOnlyList<SiweVectors.ParseCase> Parse)
{
    public const int GoodCount = 40;

    /// <summary>The instant the vectors were made for (their issued-at times are just before it).</summary>
    public static readonly DateTimeOffset Instant = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public const string Good = "ok";

    public static async Task<SiweVectors> GenerateAsync(CancellationToken cancellationToken)
    {
        var json = await NodeOracle.RunAsync(
            "siwe-vectors.mjs",
            ["--seed", OracleSeed.Value, "--count", GoodCount.ToString(CultureInfo.InvariantCulture), "--now", Instant.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)],
            cancellationToken);
        return JsonSerializer.Deserialize<SiweVectors>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException("siwe-vectors.mjs printed null.");
    }

    public sealed record OracleExpectations(string Domain, string Scheme, string Uri, IReadOnlyList<ulong> ChainIds, int ClockSkewSeconds);

    /// <param name="Kind">"good" or the tampering applied, e.g. "wrong_domain", "high_s".</param>
    /// <param name="Expected">"ok" or the failure code a verifier must give.</param>
    public sealed record Vector(string Kind, string Expected, string Address, string Nonce, Fields Fields, string Message, string Signature)
    {
        public override string ToString() => $"{Kind} ({Nonce})";
    }

    /// <summary>The fields the siwe package built <see cref="Vector.Message"/> from.</summary>
    public sealed record Fields(
        string? Scheme,
        string Domain,
        string Address,
        string? Statement,
        string Uri,
        string Version,
        ulong ChainId,
        string Nonce,
        string IssuedAt,
        string? ExpirationTime,
        string? NotBefore,
        string? RequestId,
        IReadOnlyList<string>? Resources);

    /// <summary>A text and whether the siwe package's ABNF parser accepts it.</summary>
    public sealed record ParseCase(string Name, string Text, bool Accepted);
}
