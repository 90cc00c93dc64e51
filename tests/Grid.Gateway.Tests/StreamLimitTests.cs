using System.Net;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests;

/// <summary>
/// Open streams are bounded per account and per silo: past the account's bound a new stream is 429 (problem+json,
/// Retry-After), past the silo's 503, and a stream that closes gives its slot back.
/// </summary>
public sealed class StreamLimitTests() : OwnSiloTests("stream-limit-admin-key-0123456789", new Dictionary<string, string>
{
    ["Grid__Streams__MaxPerAccount"] = "2",
    ["Grid__Streams__MaxStreams"] = "3",
})
{
    [Fact]
    public async Task Streams_past_the_account_s_or_the_silo_s_bound_are_refused_until_one_closes()
    {
        var first = await Operator.CreateAccountAsync("limited-a");
        var second = await Operator.CreateAccountAsync("limited-b");
        var third = await Operator.CreateAccountAsync("limited-c");

        using var a1 = await OpenAsync(first);
        using var a2 = await OpenAsync(first);
        Assert.Equal(HttpStatusCode.OK, a1.StatusCode);
        Assert.Equal(HttpStatusCode.OK, a2.StatusCode);
        using (var a3 = await OpenAsync(first))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, a3.StatusCode);
            Assert.Equal("application/problem+json", a3.Content.Headers.ContentType?.MediaType);
            Assert.Contains("\"rate_limited\"", await a3.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.NotNull(a3.Headers.RetryAfter);
        }

        using var b1 = await OpenAsync(second);
        Assert.Equal(HttpStatusCode.OK, b1.StatusCode);
        using (var c1 = await OpenAsync(third))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, c1.StatusCode); // three open on the silo
            Assert.Contains("\"unavailable\"", await c1.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        a1.Dispose(); // the subscriber goes away: its slot comes back once the silo sees it gone
        await Grid.TestKit.Eventually.TrueAsync(async () =>
        {
            using var again = await OpenAsync(third);
            return again.StatusCode == HttpStatusCode.OK;
        }, "a slot given back");
    }

    private Task<HttpResponseMessage> OpenAsync(string account) => StreamRequests.OpenAsync(Silo.Http, account, AdminKey);
}
