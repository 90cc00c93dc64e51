using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Grid.Chain.TestKit;

namespace Grid.Gateway.Tests.Chain;

/// <summary>Payments as a wallet makes them on the test chain: each waits until its transaction is mined and succeeded.</summary>
public sealed class ChainPayer(TestChain chain)
{
    /// <summary>Sends the transaction an intent asked for (to, value, data) from <paramref name="payer"/>.</summary>
    public async Task<string> PayIntentAsync(string payer, JsonElement intent)
    {
        var value = intent.GetProperty("value").GetString() is { } text ? BigInteger.Parse(text, CultureInfo.InvariantCulture) : BigInteger.Zero;
        var hash = await chain.Client.SendTransactionAsync(payer, intent.GetProperty("to").GetString(), value, intent.GetProperty("data").GetString(), CancellationToken.None);
        return await MinedAsync(hash);
    }

    /// <summary>The deposit contract's <c>deposit(ref)</c> with <paramref name="wei"/>.</summary>
    public async Task<string> DepositEthAsync(string payer, BigInteger wei, byte[] reference) =>
        await MinedAsync(await chain.Contracts.DepositEthAsync(payer, wei, reference, CancellationToken.None));

    /// <summary>Approve, then the deposit contract's <c>depositToken(token, amount, ref)</c>.</summary>
    public async Task<string> DepositTokenAsync(string token, string payer, BigInteger amount, byte[] reference) =>
        await MinedAsync(await chain.Contracts.DepositTokenOfAsync(token, payer, amount, reference, CancellationToken.None));

    private async Task<string> MinedAsync(string hash)
    {
        var receipt = await chain.Client.WaitForReceiptAsync(hash, CancellationToken.None);
        Assert.True(receipt.Succeeded, $"transaction {hash} reverted");
        return hash;
    }
}
