using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Grid.Browser.Tests.Support;

/// <summary>The few gateway routes browser tests drive from outside the page, with the admin key.</summary>
public sealed class GatewayClient(HttpClient http, string adminKey)
{
    public async Task<string> CreateAccountAsync(string id)
    {
        var created = await SendAsync(HttpMethod.Post, "/v1/accounts", new { id });
        Assert.True(created.Status == HttpStatusCode.Created, created.ToString());
        return id;
    }

    /// <summary>Deposits through the API; asserts 200 and returns the balance after it.</summary>
    public async Task<long> DepositAsync(string accountId, string operationId, long amount)
    {
        var deposited = await SendAsync(HttpMethod.Post, $"/v1/accounts/{accountId}/deposits", new { operationId, amount });
        Assert.True(deposited.Status == HttpStatusCode.OK, deposited.ToString());
        return deposited.Json.GetProperty("balance").GetProperty("available").GetInt64();
    }

    /// <summary>A guest token for the account (read and charge), as a product's server would hand its page.</summary>
    public async Task<string> IssueGuestTokenAsync(string accountId)
    {
        var issued = await SendAsync(HttpMethod.Post, $"/v1/accounts/{accountId}/tokens", new { });
        Assert.True(issued.Status == HttpStatusCode.Created, issued.ToString());
        return issued.Json.GetProperty("token").GetString()!;
    }

    private async Task<Answer> SendAsync(HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        using var response = await http.SendAsync(request);
        return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private sealed record Answer(HttpStatusCode Status, string Text)
    {
        public JsonElement Json => JsonDocument.Parse(Text).RootElement.Clone();

        public override string ToString() => $"{(int)Status} {Text}";
    }
}
