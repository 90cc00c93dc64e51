using System.Net;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests;

/// <summary>A silo without a token secret or SIWE settings issues no tokens and no nonces, and says which setting is missing.</summary>
public sealed class UnconfiguredAuthTests() : OwnSiloTests("unconfigured-auth-admin-key-0123456789", new Dictionary<string, string>())
{
    [Fact]
    public async Task Tokens_and_sign_in_are_refused_with_the_setting_named()
    {
        var api = Operator;
        await api.CreateAccountAsync("no-secret");

        var token = await api.PostAsync("/v1/accounts/no-secret/tokens", new { });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, token.Status);
        Assert.Equal("unavailable", token.Code);
        Assert.Contains("Grid:Auth:TokenSecret", token.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var nonce = await api.GetAsync("/v1/auth/siwe/nonce", key: null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, nonce.Status);
        Assert.Equal("unavailable", nonce.Code);
        Assert.Contains("Grid:Auth:Siwe:Domain", nonce.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Grid__Auth__TokenSecret", "too-short", "Grid:Auth:TokenSecret")]
    [InlineData("Grid__Auth__AdminKey", "admin-key-of-31-characters-0123", "Grid:Auth:AdminKey must be at least 32 characters")]
    public async Task A_secret_shorter_than_32_characters_stops_the_silo_at_start(string setting, string value, string named)
    {
        using var directory = new TemporaryDirectory();
        await using var silo = SiloProcess.Start(directory.Path, new Dictionary<string, string>
        {
            ["Grid__Storage__DataDirectory"] = directory.Combine("data"),
            [setting] = value,
        });

        Assert.NotEqual(0, await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(silo.Output, line => line.Contains(named, StringComparison.Ordinal));
    }
}
