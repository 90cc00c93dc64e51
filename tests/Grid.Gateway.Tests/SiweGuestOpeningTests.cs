using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Grid.Gateway.Tests.Chain;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests;

/// <summary>
/// Sign-ins of wallets nobody has seen open guest accounts; one address may open only so many (a burst, then a few a
/// minute). A wallet that has its account signs in regardless, and a refused sign-in keeps its nonce.
/// </summary>
public sealed class SiweGuestOpeningTests() : OwnSiloTests("siwe-openings-admin-key-0123456789", new Dictionary<string, string>
{
    ["Grid__Auth__TokenSecret"] = LedgerSiloFixture.TokenSecret,
    ["Grid__Auth__Siwe__Domain"] = LedgerSiloFixture.SiweDomain,
    ["Grid__Auth__Siwe__Uri"] = LedgerSiloFixture.SiweUri,
    ["Grid__Auth__Siwe__ChainIds__0"] = LedgerSiloFixture.SiweChainId.ToString(CultureInfo.InvariantCulture),
    ["Grid__RateLimits__GuestAccountsPerMinute"] = "1",
    ["Grid__RateLimits__GuestAccountBurst"] = "2",
})
{
    [Fact]
    public async Task An_address_opens_a_few_guest_accounts_by_signing_in_then_only_known_wallets_sign_in()
    {
        var first = FreshKey();
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(first)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(FreshKey())).Status);

        var nonce = await NonceAsync();
        var third = await SiweSigning.SignAsync(FreshKey(), nonce);
        var refused = await VerifyAsync(third);
        Assert.Equal((HttpStatusCode.TooManyRequests, "rate_limited"), (refused.Status, refused.Code));
        Assert.Equal("60", refused.Headers["Retry-After"]);
        var guest = await Operator.GetAsync($"/v1/accounts/wallet-{third.Address[2..].ToLowerInvariant()}");
        Assert.Equal(HttpStatusCode.NotFound, guest.Status); // nothing opened

        // A wallet with its account already signs in whatever the budget.
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(first)).Status);

        // The refused message's nonce was not spent: the same message works once the budget refills.
        await Grid.TestKit.Eventually.TrueAsync(
            async () => (await VerifyAsync(third)).Status == HttpStatusCode.OK, "a guest opening earned back", TimeSpan.FromSeconds(90));
    }

    private async Task<ApiResponse> SignInAsync(string privateKey) => await VerifyAsync(await SiweSigning.SignAsync(privateKey, await NonceAsync()));

    private async Task<string> NonceAsync()
    {
        var response = await new LedgerApi(Silo.Http, null).GetAsync("/v1/auth/siwe/nonce", key: null);
        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
        return response.Json.GetProperty("nonce").GetString()!;
    }

    private Task<ApiResponse> VerifyAsync(SiweSigning.Signed signed) =>
        new LedgerApi(Silo.Http, null).PostJsonAsync(
            "/v1/auth/siwe/verify", JsonSerializer.Serialize(new { message = signed.Message, signature = signed.Signature }), key: null);

    private static string FreshKey() => "0x" + Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
}
