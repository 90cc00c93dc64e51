using System.Text.Json;
using Grid.Gateway.Tests.Support;
using Grid.TestKit;

namespace Grid.Gateway.Tests.Chain;

/// <summary>A SIWE message built by the npm siwe package and signed by an ethers wallet (tests/oracles/siwe-sign.mjs).</summary>
public static class SiweSigning
{
    public sealed record Signed(string Message, string Signature, string Address);

    public static async Task<Signed> SignAsync(string privateKey, string nonce, IReadOnlyList<string>? resources = null)
    {
        var input = JsonSerializer.Serialize(new
        {
            privateKey,
            domain = LedgerSiloFixture.SiweDomain,
            uri = LedgerSiloFixture.SiweUri,
            chainId = LedgerSiloFixture.SiweChainId,
            nonce,
            issuedAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            resources,
        });
        var output = JsonDocument.Parse(await NodeOracle.RunAsync("siwe-sign.mjs", [input], CancellationToken.None)).RootElement;
        return new Signed(output.GetProperty("message").GetString()!, output.GetProperty("signature").GetString()!, output.GetProperty("address").GetString()!);
    }
}
