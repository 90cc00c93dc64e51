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

    /// <summary>The first top-up package on sale: its id and credits.</summary>
    public async Task<(string Id, long Credits)> FirstPackageAsync()
    {
        var listed = JsonDocument.Parse(await http.GetStringAsync("/v1/topups/packages")).RootElement.GetProperty("packages")[0];
        return (listed.GetProperty("id").GetString()!, listed.GetProperty("credits").GetInt64());
    }

    /// <summary>Posts a Stripe event as Stripe would: no bearer token, the given signature; returns the handling's outcome.</summary>
    public async Task<string> DeliverWebhookAsync(string body, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/webhooks/stripe") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        using var response = await http.SendAsync(request);
        var answer = new Answer(response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        return answer.Json.GetProperty("outcome").GetString()!;
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
