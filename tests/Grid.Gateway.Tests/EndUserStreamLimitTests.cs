using System.Net;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests;

/// <summary>
/// End users' guest and wallet tokens cost nothing to get, each wallet with an account of its own: their streams may
/// fill only their share of the silo (here 2 of 4), so account keys and the operator can always open theirs.
/// </summary>
public sealed class EndUserStreamLimitTests() : OwnSiloTests("end-user-stream-admin-key-012345678", new Dictionary<string, string>
{
    ["Grid__Auth__TokenSecret"] = "end-user-stream-token-secret-0123456789",
    ["Grid__Streams__MaxStreams"] = "4",
    ["Grid__Streams__MaxEndUserStreams"] = "2",
})
{
    [Fact]
    public async Task Guest_tokens_fill_only_their_share_of_the_silos_streams()
    {
        var first = await Operator.CreateAccountAsync("end-user-a");
        var second = await Operator.CreateAccountAsync("end-user-b");
        var firstToken = await GuestTokenAsync(first);

        using var a1 = await OpenAsync(first, firstToken);
        using var b1 = await OpenAsync(second, await GuestTokenAsync(second));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (a1.StatusCode, b1.StatusCode));
        using (var a2 = await OpenAsync(first, firstToken))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, a2.StatusCode); // the account has 1 of its 32; the share is full
            Assert.Equal("application/problem+json", a2.Content.Headers.ContentType?.MediaType);
        }

        using var keyed = await OpenAsync(first, AdminKey);
        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode); // the rest of the silo is kept for keys

        b1.Dispose();
        await Grid.TestKit.Eventually.TrueAsync(async () =>
        {
            using var again = await OpenAsync(first, firstToken);
            return again.StatusCode == HttpStatusCode.OK;
        }, "an end user's slot given back");
    }

    private async Task<string> GuestTokenAsync(string account)
    {
        var issued = await Operator.PostAsync($"/v1/accounts/{account}/tokens", new { scopes = new[] { "read" } });
        Assert.True(issued.Status == HttpStatusCode.Created, issued.ToString());
        return issued.Json.GetProperty("token").GetString()!;
    }

    private Task<HttpResponseMessage> OpenAsync(string account, string credential) => StreamRequests.OpenAsync(Silo.Http, account, credential);
}
