using System.Net;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests;

/// <summary>
/// Client mistakes in bodies, paths and queries: always 400 validation_failed naming the field (413 for
/// a body over the limit), never 500, and nothing reaches the journal.
/// </summary>
public sealed class AccountBadInputTests(LedgerSiloFixture fixture) : IClassFixture<LedgerSiloFixture>, IAsyncLifetime
{
    private const string Account = "bad-input";
    private const string Base = "/v1/accounts/" + Account;
    private static readonly string Long129 = new('a', 129);

    private LedgerApi Api => fixture.Api;

    public async Task InitializeAsync()
    {
        if (await fixture.Store.LoadAsync(Account, CancellationToken.None) is null)
        {
            await Api.CreateAccountAsync(Account);
            await Api.DepositAsync(Account, "seed", 1_000);
            Assert.Equal(HttpStatusCode.Created, (await Api.PostAsync(Base + "/holds", new { operationId = "seed-hold", amount = 100 })).Status);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string, string> Bodies() => new()
    {
        // route, body, the field the 400 names
        { "/deposits", """{"amount":5}""", "operationId" },
        { "/deposits", """{"operationId":null,"amount":5}""", "operationId" },
        { "/deposits", """{"operationId":"","amount":5}""", "operationId" },
        { "/deposits", """{"operationId":"has space","amount":5}""", "operationId" },
        { "/deposits", """{"operationId":"a/b","amount":5}""", "operationId" },
        { "/deposits", $$"""{"operationId":"{{Long129}}","amount":5}""", "operationId" },
        { "/deposits", """{"operationId":42,"amount":5}""", "operationId" },
        { "/deposits", """{"operationId":"x"}""", "amount" },
        { "/deposits", """{"operationId":"x","amount":null}""", "amount" },
        { "/deposits", """{"operationId":"x","amount":0}""", "amount" },
        { "/deposits", """{"operationId":"x","amount":-1}""", "amount" },
        { "/deposits", """{"operationId":"x","amount":1.5}""", "amount" },
        { "/deposits", """{"operationId":"x","amount":"10"}""", "amount" },
        { "/deposits", """{"operationId":"x","amount":true}""", "amount" },
        { "/deposits", """{"operationId":"x","amount":[1]}""", "amount" },
        { "/deposits", """{"operationId":"x","amount":9007199254740992}""", "amount" },
        { "/deposits", """{"operationId":"x","amount":1e30}""", "amount" },
        { "/deposits", """{"operationId":"x","amount":5.00000000000000000000000000001}""", "amount" }, // not 5, though a decimal rounds it so
        { "/adjustments", """{"operationId":"x","amount":-1e-40,"reason":"r"}""", "amount" },
        { "/deposits", """{"operationId":"x","amount":99999999999999999999999999999999999999}""", "amount" },
        { "/deposits", """{"operationId":"x","amount":5,"metadata":"text"}""", "metadata" },
        { "/deposits", """{"operationId":"x","amount":5,"metadata":[1,2]}""", "metadata" },
        { "/deposits", """{"operationId":"x","amount":5,"metadata":7}""", "metadata" },
        { "/deposits", "{\"operationId\":\"x\",\"amount\":5,\"metadata\":{\"k\":\"" + new string('m', 5_000) + "\"}}", "metadata" },
        { "/deposits", """{"operationId":"x","amount":5,"reference":5}""", "reference" },
        { "/deposits", """{"operationId":"x","amount":5,"reference":""}""", "reference" },
        { "/deposits", $$"""{"operationId":"x","amount":5,"reference":"{{new string('r', 257)}}"}""", "reference" },
        { "/deposits", """{"operationId":"x","amount":5""", "body" },
        { "/deposits", """[{"operationId":"x","amount":5}]""", "body" },
        { "/deposits", """null""", "body" },
        { "/deposits", """ "text" """, "body" },
        { "/deposits", """{"operationId":"x","amount":5,"amount":6}""", "body" },
        { "/deposits", """{"operationId":"\ud800","amount":5}""", "body" },
        { "/debits", """{"operationId":"x","amount":5,"metadata":{"k":"\udc00"}}""", "body" },
        { "/holds", """{"operationId":"x","amount":5,"reference":"a\ud83d"}""", "body" },
        { "/freeze", """{"operationId":"x","\ud800":1}""", "body" },
        { "/deposits", """{"operationId":"x","amount":5,"reference":"a\u0000b"}""", "reference" },
        { "/debits", """{"operationId":"x","amount":5,"reason":"\u0000"}""", "reason" },
        { "/adjustments", """{"operationId":"x","amount":5,"reason":"r\u0000"}""", "reason" },
        { "/holds", """{"operationId":"x","amount":5,"reference":"\u0000"}""", "reference" },
        { "/freeze", """{"operationId":"x","reason":"a\u0000"}""", "reason" },
        { "/deposits", """{"operationId":"x",}""", "body" },
        { "/debits", """{"operationId":"x","amount":0}""", "amount" },
        { "/debits", """{"operationId":"x","amount":5,"reason":7}""", "reason" },
        { "/debits", """{"operationId":"x","amount":5,"reason":"a","reference":"b"}""", "reason" },
        { "/debits", """{}""", "operationId" },
        { "/refunds", """{"operationId":"x","amount":-5}""", "amount" },
        { "/adjustments", """{"operationId":"x","amount":0,"reason":"r"}""", "amount" },
        { "/adjustments", """{"operationId":"x","amount":-9007199254740992,"reason":"r"}""", "amount" },
        { "/adjustments", """{"operationId":"x","amount":5}""", "reason" },
        { "/adjustments", """{"operationId":"x","amount":5,"reason":""}""", "reason" },
        { "/adjustments", """{"operationId":"x","amount":5,"reason":"   "}""", "reason" },
        { "/holds", """{"operationId":"x","amount":5,"expiresInSeconds":0}""", "expiresInSeconds" },
        { "/holds", """{"operationId":"x","amount":5,"expiresInSeconds":2592001}""", "expiresInSeconds" },
        { "/holds", """{"operationId":"x","amount":5,"expiresInSeconds":"60"}""", "expiresInSeconds" },
        { "/holds", """{"operationId":"x","amount":5,"expiresInSeconds":1.5}""", "expiresInSeconds" },
        { "/holds", """{"operationId":"x","amount":0}""", "amount" },
        { "/holds/seed-hold/capture", """{"operationId":"x","amount":-1}""", "amount" },
        { "/holds/seed-hold/capture", """{"operationId":"x"}""", "amount" },
        { "/holds/seed-hold/capture", """{"operationId":"x","amount":1,"final":"yes"}""", "final" },
        { "/holds/seed-hold/capture", """{"operationId":"x","amount":101}""", "amount" },
        { "/holds/bad%20id/capture", """{"operationId":"x","amount":1}""", "holdId" },
        { "/holds/seed-hold/void", """{}""", "operationId" },
        { "/freeze", """{"operationId":"x","reason":""}""", "reason" },
        { "/freeze", """{"operationId":"x","reason":false}""", "reason" },
        { "/unfreeze", """{"operationId":7}""", "operationId" },
        { "/close", """{}""", "operationId" },
    };

    /// <summary>An exponent of long.MinValue, whose magnitude no long holds (the parser reads the number as 0).</summary>
    private const string LongMinValueExponent = "1e-9223372036854775808";

    public static TheoryData<string, string, string> OtherRouteBodies() => new()
    {
        // path, body, the field the 400 names (read before the caller or the chain settings are looked at)
        { Base + "/debits", $$"""{"operationId":"x","amount":{{LongMinValueExponent}}}""", "amount" },
        { Base + "/debits", $$"""{"operationId":"x","amount":-{{LongMinValueExponent}}}""", "amount" },
        { "/v1/payments/onchain", """{"operationId":"x","wallet":"","token":"ETH","chainId":1}""", "wallet" },
        { "/v1/payments/onchain", $$"""{"operationId":"x","wallet":"0x00000000000000000000000000000000000000aa","token":"ETH","chainId":{{LongMinValueExponent}}}""", "chainId" },
        { "/v1/payments/pay_aaaaaaaaaaaaaaaaaaaaaaaaaa/tx", """{"txHash":""}""", "txHash" },
        { "/v1/casts", $$"""{"operationId":"x","accountId":"{{Account}}","quote":{{LongMinValueExponent}}}""", "quote" },
        { "/v1/sessions", $$"""{"operationId":"x","accountId":"{{Account}}","hostAccountId":"h","deposit":1,"pricePerUnit":{{LongMinValueExponent}}}""", "pricePerUnit" },
    };

    [Theory]
    [MemberData(nameof(OtherRouteBodies))]
    public async Task Bad_bodies_on_other_routes_are_400_naming_the_field(string path, string body, string field)
    {
        var response = await Api.PostJsonAsync(path, body);

        AssertNames(response, field);
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Bad_bodies_are_400_naming_the_field(string route, string body, string field)
    {
        var response = await Api.PostJsonAsync(Base + route, body);

        AssertNames(response, field);
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [InlineData("5.0", 5)]
    [InlineData("5e2", 500)]
    [InlineData("0.5E1", 5)]
    [InlineData("500e-2", 5)]
    [InlineData("5.000000000000000000000000000", 5)]
    public async Task Whole_numbers_written_another_way_are_read_as_what_they_are(string amount, long credits)
    {
        var account = await Api.CreateAccountAsync();
        var response = await Api.PostJsonAsync($"/v1/accounts/{account}/deposits", $$"""{"operationId":"whole","amount":{{amount}}}""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(credits, response.Json.GetProperty("entry").GetProperty("amount").GetInt64());
    }

    [Theory]
    [InlineData("""{"id":"has space"}""", "id")]
    [InlineData("""{"id":""}""", "id")]
    [InlineData("""{"id":5}""", "id")]
    [InlineData("""{"name":5}""", "name")]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":"a\u0000b"}""", "name")]
    [InlineData("""{"overdraftLimit":-1}""", "overdraftLimit")]
    [InlineData("""{"overdraftLimit":"5"}""", "overdraftLimit")]
    [InlineData("""{"id":"x",""", "body")]
    public async Task Bad_account_creations_are_400_naming_the_field(string body, string field)
    {
        AssertNames(await Api.PostJsonAsync("/v1/accounts", body), field);
    }

    [Fact]
    public async Task A_long_name_is_refused()
    {
        AssertNames(await Api.PostAsync("/v1/accounts", new { id = "bad-input-name", name = new string('n', 201) }), "name");
        Assert.Null(await fixture.Store.LoadAsync("bad-input-name", CancellationToken.None));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task A_body_that_is_not_declared_json_is_400(string mediaType)
    {
        var response = await Api.PostJsonAsync(Base + "/deposits", """{"operationId":"x","amount":5}""", mediaType: mediaType);

        AssertNames(response, "body");
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        var huge = "{\"operationId\":\"x\",\"amount\":5,\"metadata\":{\"k\":\"" + new string('m', 70_000) + "\"}}";
        var response = await Api.PostJsonAsync(Base + "/deposits", huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.Equal("payload_too_large", response.Code);
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Bodies_that_are_not_utf8_json_are_400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Base + "/deposits")
        {
            Content = new ByteArrayContent([0x7b, 0xff, 0xfe, 0x7d]),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Authorization = new("Bearer", LedgerSiloFixture.AdminKey);
        using var raw = await fixture.Silo.Http.SendAsync(request);

        AssertNames(await ApiResponse.ReadAsync(raw), "body");
    }

    [Theory]
    [InlineData("""{"amount":5,"operationId":"a""", "\"}")]
    [InlineData("""{"amount":5,"operationId":"x","reference":"a""", "\"}")]
    [InlineData("""{"amount":5,"operationId":"x","metadata":{"k":"a""", "\"}}")]
    [InlineData("""{"amount":5,"operationId":"x","a""", "\":1}")]
    public async Task Strings_that_are_not_utf8_are_400(string before, string after)
    {
        byte[] body = [.. System.Text.Encoding.UTF8.GetBytes(before), 0xff, 0xfe, .. System.Text.Encoding.UTF8.GetBytes(after)];
        using var request = new HttpRequestMessage(HttpMethod.Post, Base + "/deposits") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Authorization = new("Bearer", LedgerSiloFixture.AdminKey);
        using var raw = await fixture.Silo.Http.SendAsync(request);

        AssertNames(await ApiResponse.ReadAsync(raw), "body");
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [InlineData("/v1/accounts/has%20space")]
    [InlineData("/v1/accounts/has%20space/holds")]
    [InlineData("/v1/accounts/has%20space/journal")]
    public async Task Bad_account_ids_in_paths_are_400(string path)
    {
        AssertNames(await Api.GetAsync(path), "id");
        AssertNames(await Api.PostAsync("/v1/accounts/has%20space/deposits", new { operationId = "x", amount = 1 }), "id");
        var tooLong = await Api.GetAsync("/v1/accounts/" + Long129);
        AssertNames(tooLong, "id");
    }

    [Theory]
    [InlineData("after=-1", "after")]
    [InlineData("after=x", "after")]
    [InlineData("after=1.5", "after")]
    [InlineData("after=1&after=2", "after")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("after=99999999999999999999", "after")]
    public async Task Bad_journal_queries_are_400_naming_the_parameter(string query, string field)
    {
        AssertNames(await Api.GetAsync($"{Base}/journal?{query}"), field);
    }

    [Fact]
    public async Task Integral_numbers_written_with_a_fraction_or_exponent_are_integers()
    {
        var response = await Api.PostJsonAsync(Base + "/deposits", """{"operationId":"bad-input-float","amount":2.0e1}""");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(20, response.Json.GetProperty("entry").GetProperty("amount").GetInt64());

        // Unknown fields are ignored.
        var extra = await Api.PostJsonAsync(Base + "/deposits", """{"operationId":"bad-input-extra","amount":1,"currency":"usd"}""");
        Assert.Equal(HttpStatusCode.OK, extra.Status);
    }

    private static void AssertNames(ApiResponse response, string field)
    {
        Assert.True(response.Status == HttpStatusCode.BadRequest, response.ToString());
        Assert.Equal("validation_failed", response.Code);
        var errors = response.Json.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"errors do not name {field}: {response.Text}");
        Assert.True(messages.GetArrayLength() > 0);
        Assert.False(string.IsNullOrEmpty(messages[0].GetString()));
    }

    private async Task AssertNothingWrittenAsync()
    {
        var entries = await fixture.Store.ReadJournalAsync(Account, 0, 1_000, CancellationToken.None);
        Assert.DoesNotContain(entries, e => e.OperationId == "x");
    }
}
