using System.Net;
using System.Net.Http.Headers;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests;

/// <summary>
/// Behind a trusted proxy (here the test itself, on 127.0.0.1) each client is the address its X-Forwarded-For names:
/// one client's wrong keys use up its own budget, not every client's.
/// </summary>
public sealed class TrustedProxyTests() : OwnSiloTests(
    "trusted-proxy-admin-key-0123456789",
    new Dictionary<string, string>
    {
        // One value naming two networks, as an operator writes it in one environment variable (a list works too).
        ["Grid__Gateway__TrustedProxies"] = "10.255.0.0/16, 127.0.0.1",
        ["Grid__RateLimits__FailedKeysPerSecond"] = "1",
        ["Grid__RateLimits__FailedKeyBurst"] = "3",
        ["Grid__RateLimits__AnonymousPermitsPerSecond"] = "1000",
        ["Grid__RateLimits__AnonymousBurst"] = "1000",
    })
{
    private const string Guesser = "203.0.113.7";
    private const string Customer = "203.0.113.8";

    [Fact]
    public async Task A_client_s_wrong_keys_hold_back_that_client_only()
    {
        await Operator.CreateAccountAsync("behind-proxy");
        var issued = await Operator.PostAsync("/v1/keys", new { accountId = "behind-proxy", scopes = new[] { "read" } });
        var key = issued.Json.GetProperty("key").GetString()!;
        var keyId = issued.Json.GetProperty("id").GetString()!;

        var wrong = 0;
        HttpStatusCode answer;
        do
        {
            answer = await GetAsync($"gk_{keyId}_{wrong:D43}", Guesser);
            wrong++;
        }
        while (answer == HttpStatusCode.Unauthorized && wrong < 50);

        Assert.Equal(HttpStatusCode.TooManyRequests, answer); // the guesser's own address is held back
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(key, Guesser));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(key, Customer)); // another client behind the same proxy is not
    }

    private async Task<HttpStatusCode> GetAsync(string key, string client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/accounts/behind-proxy");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Add("X-Forwarded-For", client);
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await Silo.Http.SendAsync(request);
        return response.StatusCode;
    }
}
