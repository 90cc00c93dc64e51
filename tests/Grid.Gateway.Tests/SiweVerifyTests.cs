using System.Net;
using System.Text.Json;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests;

/// <summary>
/// POST /v1/auth/siwe/verify on the real silo, with messages built by the siwe npm package and signed by
/// ethers wallets (tests/oracles/siwe-sign.mjs), as a browser wallet would.
/// </summary>
public sealed class SiweVerifyTests(LedgerSiloFixture fixture) : IClassFixture<LedgerSiloFixture>
{
    private LedgerApi Anonymous => new(fixture.Silo.Http, null);

    [Fact]
    public async Task A_signed_message_signs_the_wallet_in_to_its_own_guest_account_once_per_nonce()
    {
        var nonce = await NonceAsync();
        var signed = await SignAsync(nonce);
        var response = await VerifyAsync(signed);

        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
        Assert.Equal(signed.Address, response.Json.GetProperty("address").GetString()); // EIP-55, as the wallet wrote it
        var accountId = response.Json.GetProperty("accountId").GetString()!;
        Assert.Equal("wallet-" + signed.Address[2..].ToLowerInvariant(), accountId);
        Assert.InRange(response.Json.GetProperty("expiresAt").GetDateTimeOffset() - DateTimeOffset.UtcNow, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24.1));
        var token = response.Json.GetProperty("token").GetString()!;

        var account = await fixture.Api.GetAsync($"/v1/accounts/{accountId}");
        Assert.True(account.Json.GetProperty("guest").GetBoolean());
        Assert.Equal(signed.Address, account.Json.GetProperty("name").GetString());

        // The session reads and charges the wallet's account, and nothing else.
        await fixture.Api.DepositAsync(accountId, "siwe-fund", 50);
        var session = new LedgerApi(fixture.Silo.Http, token);
        Assert.Equal(HttpStatusCode.OK, (await session.PostAsync($"/v1/accounts/{accountId}/debits", new { operationId = "u:siwe-spend", amount = 20 })).Status);
        Assert.Equal(30, (await session.GetAsync($"/v1/accounts/{accountId}")).Json.GetProperty("balance").GetProperty("available").GetInt64());
        await fixture.Api.CreateAccountAsync("siwe-someone-else");
        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/v1/accounts/siwe-someone-else")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await session.PostAsync($"/v1/accounts/{accountId}/deposits", new { operationId = "siwe-mint", amount = 5 })).Status);

        // The same signed message again: its nonce is spent. So is the nonce in another case, which reads the same.
        var replay = await VerifyAsync(signed);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.Status);
        Assert.Equal("siwe_nonce_invalid", replay.Json.GetProperty("reason").GetString());
        var upperCase = await VerifyAsync(await SignAsync(nonce.ToUpperInvariant(), privateKey: signed.PrivateKey));
        Assert.Equal(HttpStatusCode.Unauthorized, upperCase.Status);
        Assert.Equal("siwe_nonce_invalid", upperCase.Json.GetProperty("reason").GetString());

        // The same wallet signing in again meets the same account, which is not opened twice.
        var again = await VerifyAsync(await SignAsync(await NonceAsync(), privateKey: signed.PrivateKey));
        Assert.Equal(accountId, again.Json.GetProperty("accountId").GetString());
        Assert.Equal(30, (await fixture.Api.GetAsync($"/v1/accounts/{accountId}")).Json.GetProperty("balance").GetProperty("available").GetInt64());
    }

    [Fact]
    public async Task A_refused_message_does_not_spend_its_nonce()
    {
        var nonce = await NonceAsync();
        var refusals = new (Signed Message, string Reason)[]
        {
            (await SignAsync(nonce, domain: "evil.example"), "siwe_domain_mismatch"),
            (await SignAsync(nonce, uri: "https://evil.example/login"), "siwe_uri_mismatch"),
            (await SignAsync(nonce, chainId: 1), "siwe_chain_not_allowed"),
            (await SignAsync(nonce, issuedAt: DateTimeOffset.UtcNow.AddHours(-2), expiration: DateTimeOffset.UtcNow.AddHours(-1)), "siwe_expired"),
            (await SignAsync(nonce, issuedAt: DateTimeOffset.UtcNow.AddHours(1)), "siwe_issued_in_future"),
            (await SignAsync(nonce, notBefore: DateTimeOffset.UtcNow.AddHours(1)), "siwe_not_yet_valid"),
        };
        foreach (var (message, reason) in refusals)
        {
            var response = await VerifyAsync(message);
            Assert.True(response.Status == HttpStatusCode.Unauthorized && response.Code == "unauthorized", response.ToString());
            Assert.Equal(reason, response.Json.GetProperty("reason").GetString());
        }

        // Signed by one wallet, presented as another's.
        var mine = await SignAsync(nonce);
        var theirs = await SignAsync(nonce);
        var forged = await VerifyAsync(mine with { Signature = theirs.Signature });
        Assert.Equal("siwe_bad_signature", forged.Json.GetProperty("reason").GetString());

        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(mine)).Status); // the nonce was still good

        var unknown = await VerifyAsync(await SignAsync("NeverIssuedNonce0001"));
        Assert.Equal("siwe_nonce_invalid", unknown.Json.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_session_never_outlives_the_message_s_expiration_time()
    {
        var expiration = DateTimeOffset.UtcNow.AddMinutes(5);
        var response = await VerifyAsync(await SignAsync(await NonceAsync(), expiration: expiration));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.True(response.Json.GetProperty("expiresAt").GetDateTimeOffset() <= expiration.AddMilliseconds(1));
    }

    [Fact]
    public async Task A_message_about_to_expire_is_refused_without_spending_its_nonce()
    {
        var nonce = await NonceAsync();
        var expiring = await VerifyAsync(await SignAsync(nonce, expiration: DateTimeOffset.UtcNow.AddSeconds(2)));
        Assert.Equal(HttpStatusCode.Unauthorized, expiring.Status);
        Assert.Equal("siwe_expired", expiring.Json.GetProperty("reason").GetString());

        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(await SignAsync(nonce))).Status);
    }

    [Fact]
    public async Task The_wallet_prefix_is_kept_for_signed_in_wallets()
    {
        var created = await fixture.Api.PostAsync("/v1/accounts", new { id = "wallet-0000000000000000000000000000000000000001" });

        Assert.Equal(HttpStatusCode.BadRequest, created.Status);
        Assert.True(created.Json.GetProperty("errors").TryGetProperty("id", out _), created.Text);
    }

    [Fact]
    public async Task A_forged_nonce_is_refused()
    {
        var genuine = await NonceAsync();
        var forged = (genuine[0] == 'a' ? 'b' : 'a') + genuine[1..]; // the expiry changed, the MAC kept

        var response = await VerifyAsync(await SignAsync(forged));

        Assert.Equal("siwe_nonce_invalid", response.Json.GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("""{"signature":"0x00"}""", "message")]
    [InlineData("""{"message":"hello"}""", "signature")]
    [InlineData("""{"message":5,"signature":"0x00"}""", "message")]
    [InlineData("""{"message":"not a sign-in message","signature":"0x00"}""", "message")]
    [InlineData("""{"message":"x",""", "body")]
    public async Task Malformed_requests_are_400_naming_the_field(string body, string field)
    {
        var response = await Anonymous.PostJsonAsync("/v1/auth/siwe/verify", body, key: null);

        Assert.True(response.Status == HttpStatusCode.BadRequest && response.Code == "validation_failed", response.ToString());
        Assert.True(response.Json.GetProperty("errors").TryGetProperty(field, out _), response.Text);
    }

    [Fact]
    public async Task A_message_changed_after_signing_is_refused()
    {
        var signed = await SignAsync(await NonceAsync());
        var tampered = signed with { Message = signed.Message.Replace("Sign in to Credit Grid.", "Sign in to Credit Grid!", StringComparison.Ordinal) };
        Assert.NotEqual(signed.Message, tampered.Message);

        var response = await VerifyAsync(tampered);
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("siwe_bad_signature", response.Json.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(signed)).Status);
    }

    [Fact]
    public async Task A_malformed_signature_is_401_naming_it()
    {
        var signed = await SignAsync(await NonceAsync());
        foreach (var signature in new[] { "0x1234", "not hex at all", "0x" + new string('z', 130) })
        {
            var response = await VerifyAsync(signed with { Signature = signature });
            Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
            Assert.Equal("unauthorized", response.Json.GetProperty("code").GetString());
            Assert.Equal("siwe_malformed", response.Json.GetProperty("reason").GetString());
            Assert.Equal("signature", response.Json.GetProperty("field").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(signed)).Status); // the nonce was not spent
    }

    private async Task<string> NonceAsync()
    {
        var response = await Anonymous.GetAsync("/v1/auth/siwe/nonce", key: null);
        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
        return response.Json.GetProperty("nonce").GetString()!;
    }

    private Task<ApiResponse> VerifyAsync(Signed signed) =>
        Anonymous.PostJsonAsync("/v1/auth/siwe/verify", JsonSerializer.Serialize(new { message = signed.Message, signature = signed.Signature }), key: null);

    private static async Task<Signed> SignAsync(
        string nonce, string? privateKey = null, string domain = LedgerSiloFixture.SiweDomain, string uri = LedgerSiloFixture.SiweUri,
        long chainId = LedgerSiloFixture.SiweChainId, DateTimeOffset? issuedAt = null, DateTimeOffset? expiration = null, DateTimeOffset? notBefore = null)
    {
        var input = JsonSerializer.Serialize(new
        {
            privateKey,
            domain,
            uri,
            chainId,
            nonce,
            issuedAt = (issuedAt ?? DateTimeOffset.UtcNow.AddSeconds(-5)).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            expirationTime = expiration?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            notBefore = notBefore?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            statement = "Sign in to Credit Grid.",
        });
        var output = JsonDocument.Parse(await NodeOracle.RunAsync("siwe-sign.mjs", [input], CancellationToken.None)).RootElement;
        return new Signed(
            output.GetProperty("message").GetString()!, output.GetProperty("signature").GetString()!,
            output.GetProperty("address").GetString()!, output.GetProperty("privateKey").GetString()!);
    }

    private sealed record Signed(string Message, string Signature, string Address, string PrivateKey);
}
