using System.Net;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests;

/// <summary>GET /v1/auth/siwe/nonce: anonymous, fresh every time, never cached, signed (issuing one writes nothing).</summary>
public sealed class SiweNonceTests(LedgerSiloFixture fixture) : IClassFixture<LedgerSiloFixture>
{
    [Fact]
    public async Task Each_nonce_is_new_uncacheable_and_writes_nothing()
    {
        var api = new LedgerApi(fixture.Silo.Http, null);
        var first = await api.GetAsync("/v1/auth/siwe/nonce", key: null);
        var second = await api.GetAsync("/v1/auth/siwe/nonce", key: null);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("no-store", first.Headers["Cache-Control"]);
        var nonce = first.Json.GetProperty("nonce").GetString()!;
        Assert.Matches("^[0-9a-f]{60}$", nonce); // EIP-4361 asks for at least 8 alphanumerics
        Assert.NotEqual(nonce, second.Json.GetProperty("nonce").GetString());
        var expiresAt = first.Json.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11));

        await using var connection = await fixture.Database.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM siwe_nonces WHERE nonce = $nonce";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "$nonce";
        parameter.Value = nonce;
        command.Parameters.Add(parameter);
        Assert.Equal(0L, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)); // only a used nonce is recorded
    }
}
