using System.Globalization;
using System.Numerics;
using System.Text;
using Grid.Chain.Crypto;
using Grid.Chain.TestKit.Rpc;

namespace Grid.Bench.Chain;

/// <summary>
/// Payer wallets nobody holds a key for: addresses derived from a label, given ETH with anvil_setBalance and sending
/// through anvil's auto-impersonation (eth_sendTransaction from any address), so a bench can use thousands of them.
/// </summary>
public static class BenchWallets
{
    /// <summary>1,000 ETH: far more than any payer here spends, gas included.</summary>
    private static readonly BigInteger Funding = BigInteger.Pow(10, 21);

    /// <summary>The <paramref name="index"/>-th address of <paramref name="label"/>, lowercase.</summary>
    public static string Address(string label, int index)
    {
        var hash = Keccak256.Hash(Encoding.UTF8.GetBytes($"{label}-{index.ToString(CultureInfo.InvariantCulture)}"));
        return "0x" + Convert.ToHexStringLower(hash.AsSpan(12));
    }

    /// <summary>Lets any address send (anvil_autoImpersonateAccount) and funds <paramref name="wallets"/>.</summary>
    public static async Task FundAsync(AnvilClient client, IEnumerable<string> wallets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(wallets);
        await client.RequestAsync("anvil_autoImpersonateAccount", [true], cancellationToken);
        foreach (var wallet in wallets)
        {
            await client.RequestAsync("anvil_setBalance", [wallet, Hex.Quantity(Funding)], cancellationToken);
        }
    }
}
