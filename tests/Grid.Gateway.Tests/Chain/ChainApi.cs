using System.Numerics;
using System.Text.Json;
using Grid.Gateway.Tests.Support;
using Grid.TestKit;

namespace Grid.Gateway.Tests.Chain;

/// <summary>The on-chain payment routes as a test uses them, and waits on what the watcher reports.</summary>
public sealed class ChainApi(LedgerApi api)
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public LedgerApi Api => api;

    public async Task<JsonElement> IntentAsync(string wallet, string token, long? amountCredits, string? accountId = null, string? key = null, string? operationId = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["operationId"] = operationId ?? "pay-" + Guid.NewGuid().ToString("N"),
            ["wallet"] = wallet,
            ["token"] = token,
            ["chainId"] = ChainSiloFixture.ChainId,
        };
        if (amountCredits is not null)
        {
            body["amountCredits"] = amountCredits;
        }

        if (accountId is not null)
        {
            body["accountId"] = accountId;
        }

        var response = await api.PostJsonAsync("/v1/payments/onchain", JsonSerializer.Serialize(body), key: key);
        Assert.True(response.Status == System.Net.HttpStatusCode.Created, response.ToString());
        return response.Json;
    }

    /// <summary>
    /// GET /v1/payments/{id}, by default with the admin key (who sees whose payment it is); <paramref name="key"/> null sends
    /// no credential; <paramref name="claim"/> goes as X-Payment-Claim when given.
    /// </summary>
    public Task<ApiResponse> PaymentResponseAsync(string paymentId, string? claim = null, string? key = "") =>
        api.GetAsync($"/v1/payments/{paymentId}", key: key, headers: claim is null ? null : new Dictionary<string, string> { ["X-Payment-Claim"] = claim });

    public async Task<JsonElement> PaymentAsync(string paymentId, string? claim = null, string? key = "")
    {
        var response = await PaymentResponseAsync(paymentId, claim, key);
        Assert.True(response.IsSuccess, response.ToString());
        return response.Json;
    }

    /// <summary>Links the wallet of <paramref name="privateKey"/> to the account with a fresh SIWE message naming it; also the wallet's address.</summary>
    public async Task<(ApiResponse Response, string Address)> LinkWalletAsync(string accountId, string privateKey)
    {
        var nonce = (await api.GetAsync("/v1/auth/siwe/nonce", key: null)).Json.GetProperty("nonce").GetString()!;
        var signed = await SiweSigning.SignAsync(privateKey, nonce, [$"urn:grid:account:{accountId}"]);
        return (await api.PostAsync($"/v1/accounts/{accountId}/wallets", new { message = signed.Message, signature = signed.Signature }), signed.Address);
    }

    /// <summary>Waits until the payment's status and confirmations are what the watcher must report next.</summary>
    public async Task<JsonElement> WaitForAsync(string paymentId, string status, int? confirmations = null, string? claim = null, string? key = "")
    {
        JsonElement last = default;
        try
        {
            await Eventually.TrueAsync(
                async () =>
                {
                    await Task.Delay(50);
                    last = await PaymentAsync(paymentId, claim, key);
                    return last.GetProperty("status").GetString() == status
                        && (confirmations is null || last.GetProperty("confirmations").GetInt32() == confirmations);
                },
                $"payment {paymentId} {status}",
                Patience);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Payment {paymentId} never reached {status}{(confirmations is null ? "" : $" with {confirmations} confirmations")}; last seen: {last}");
        }

        return last;
    }

    public static BigInteger Units(JsonElement intent, string field) => BigInteger.Parse(intent.GetProperty(field).GetString()!, System.Globalization.CultureInfo.InvariantCulture);
}
