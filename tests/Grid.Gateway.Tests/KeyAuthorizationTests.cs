using System.Net;
using System.Text.Json;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests;

/// <summary>
/// Account API keys on the real silo: issued once, stored hashed, scoped and bound to one account, revoked
/// at once; and the authorization matrix of every account route, with the journal unchanged by every refusal.
/// </summary>
public sealed class KeyAuthorizationTests(LedgerSiloFixture fixture) : IClassFixture<LedgerSiloFixture>
{
    private LedgerApi Operator => fixture.Api;

    private async Task<string> IssueAsync(string accountId, params string[] scopes)
    {
        var issued = await Operator.PostAsync("/v1/keys", new { accountId, scopes, name = "test" });
        Assert.True(issued.Status == HttpStatusCode.Created, issued.ToString());
        return issued.Json.GetProperty("key").GetString()!;
    }

    private async Task<string> FundedAccountAsync(string id)
    {
        await Operator.CreateAccountAsync(id);
        await Operator.DepositAsync(id, "fund", 1_000);
        return id;
    }

    [Fact]
    public async Task A_key_is_shown_once_listed_without_its_secret_records_its_use_and_dies_when_revoked()
    {
        var account = await FundedAccountAsync("keys-life");
        var issued = await Operator.PostAsync("/v1/keys", new { accountId = account, scopes = new[] { "charge", "read" }, name = "game server" });
        Assert.Equal(HttpStatusCode.Created, issued.Status);
        var key = issued.Json.GetProperty("key").GetString()!;
        var id = issued.Json.GetProperty("id").GetString()!;
        Assert.StartsWith("gk_" + id + "_", key, StringComparison.Ordinal);
        Assert.True(key.Length >= 3 + 43 + 1 + 12, "32 random bytes of secret at least");
        Assert.Equal(["read", "charge"], issued.Json.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        var listed = await Operator.GetAsync($"/v1/keys?accountId={account}");
        var entry = Assert.Single(listed.Json.GetProperty("keys").EnumerateArray());
        Assert.DoesNotContain(key[(3 + id.Length + 1)..], listed.Text, StringComparison.Ordinal); // no secret in any listing
        Assert.Equal("gk_" + id, entry.GetProperty("prefix").GetString());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("lastUsedAt").ValueKind);

        var asKey = new LedgerApi(fixture.Silo.Http, key);
        Assert.Equal(HttpStatusCode.OK, (await asKey.PostAsync($"/v1/accounts/{account}/debits", new { operationId = "k-1", amount = 5 })).Status);
        var used = Assert.Single((await Operator.GetAsync($"/v1/keys?accountId={account}")).Json.GetProperty("keys").EnumerateArray());
        Assert.True(used.GetProperty("lastUsedAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow.AddSeconds(1));

        Assert.Equal(HttpStatusCode.NoContent, (await Operator.SendAsync(HttpMethod.Delete, $"/v1/keys/{id}")).Status);
        var refused = await asKey.PostAsync($"/v1/accounts/{account}/debits", new { operationId = "k-2", amount = 5 });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal("unauthorized", refused.Json.GetProperty("code").GetString());
        Assert.DoesNotContain(key, refused.Text, StringComparison.Ordinal);
        Assert.NotEqual(JsonValueKind.Null, Assert.Single((await Operator.GetAsync($"/v1/keys?accountId={account}")).Json.GetProperty("keys").EnumerateArray()).GetProperty("revokedAt").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await Operator.SendAsync(HttpMethod.Delete, "/v1/keys/no-such-key")).Status);
    }

    [Theory]
    [InlineData("""{"scopes":["read"]}""", "accountId")]
    [InlineData("""{"accountId":"keys-life-x","scopes":[]}""", "scopes")]
    [InlineData("""{"accountId":"keys-life-x","scopes":["root"]}""", "scopes")]
    [InlineData("""{"accountId":"keys-life-x","scopes":"read"}""", "scopes")]
    [InlineData("""{"accountId":"keys-life-x","scopes":[1]}""", "scopes")]
    [InlineData("""{"accountId":"bad id!","scopes":["read"]}""", "accountId")]
    [InlineData("""{"accountId":"keys-life-x","scopes":["read"],"name":""}""", "name")]
    [InlineData("""{"accountId":"keys-life-x","scopes":["read"],"name":"a\u0000"}""", "name")]
    public async Task A_key_request_that_cannot_be_honoured_names_the_field(string json, string field)
    {
        var refused = await Operator.PostJsonAsync("/v1/keys", json);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.True(refused.Json.GetProperty("errors").TryGetProperty(field, out _), refused.ToString());
    }

    [Fact]
    public async Task A_key_for_an_account_that_does_not_exist_is_not_issued()
    {
        var refused = await Operator.PostAsync("/v1/keys", new { accountId = "keys-nobody", scopes = new[] { "read" } });
        Assert.Equal(HttpStatusCode.NotFound, refused.Status);
        Assert.Empty((await Operator.GetAsync("/v1/keys?accountId=keys-nobody")).Json.GetProperty("keys").EnumerateArray());
    }

    /// <summary>Every account route: what it needs (read, charge, admin scope, or the operator's key) and a body that would succeed.</summary>
    public static TheoryData<string, string, string, string?> Routes() => new()
    {
        { "GET", "/v1/accounts/{id}", "read", null },
        { "GET", "/v1/accounts/{id}/holds", "read", null },
        { "GET", "/v1/accounts/{id}/journal", "read", null },
        { "POST", "/v1/accounts/{id}/debits", "charge", """{"operationId":"m-debit","amount":1}""" },
        { "POST", "/v1/accounts/{id}/holds", "charge", """{"operationId":"m-hold","amount":1}""" },
        { "POST", "/v1/accounts/{id}/holds/seed-hold/capture", "charge", """{"operationId":"m-capture","amount":1}""" },
        { "POST", "/v1/accounts/{id}/holds/seed-hold/void", "charge", """{"operationId":"m-void"}""" },
        { "POST", "/v1/accounts/{id}/freeze", "admin", """{"operationId":"m-freeze"}""" },
        { "POST", "/v1/accounts/{id}/tokens", "admin", """{"scopes":["read"]}""" },
        { "POST", "/v1/accounts/{id}/unfreeze", "operator", """{"operationId":"m-unfreeze"}""" },
        { "POST", "/v1/accounts/{id}/deposits", "operator", """{"operationId":"m-deposit","amount":1}""" },
        { "POST", "/v1/accounts/{id}/refunds", "operator", """{"operationId":"m-refund","amount":1}""" },
        { "POST", "/v1/accounts/{id}/adjustments", "operator", """{"operationId":"m-adjust","amount":1,"reason":"x"}""" },
        { "POST", "/v1/accounts/{id}/close", "operator", """{"operationId":"m-close"}""" },
        { "POST", "/v1/accounts", "operator", """{"id":"m-new-{id}"}""" },
        { "POST", "/v1/keys", "operator", """{"accountId":"{id}","scopes":["admin"]}""" },
        { "GET", "/v1/keys?accountId={id}", "operator", null },
        { "GET", "/v1/cluster", "operator", null },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Each_route_admits_exactly_the_keys_its_scope_allows_on_their_own_account(string method, string route, string needs, string? body)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var mine = await FundedAccountAsync($"mine-{suffix}");
        var theirs = await FundedAccountAsync($"theirs-{suffix}");
        foreach (var account in new[] { mine, theirs })
        {
            var hold = await Operator.PostAsync($"/v1/accounts/{account}/holds", new { operationId = "seed-hold", amount = 10 });
            Assert.Equal(HttpStatusCode.Created, hold.Status);
        }

        var keys = new Dictionary<string, string>
        {
            ["read"] = await IssueAsync(mine, "read"),
            ["charge"] = await IssueAsync(mine, "charge"),
            ["admin"] = await IssueAsync(mine, "admin"),
        };
        var rank = new Dictionary<string, int> { ["read"] = 1, ["charge"] = 2, ["admin"] = 3, ["operator"] = 4 };

        async Task<ApiResponse> CallAsync(string account, string? key)
        {
            var path = route.Replace("{id}", account, StringComparison.Ordinal);
            var api = new LedgerApi(fixture.Silo.Http, adminKey: null);
            return method == "GET"
                ? await api.GetAsync(path, key: key)
                : await api.PostJsonAsync(path, body!.Replace("{id}", account, StringComparison.Ordinal), key: key);
        }

        // Another account's data is never reachable with this account's keys, whatever their scope.
        foreach (var (scope, key) in keys)
        {
            var before = await JournalTextAsync(theirs);
            var answer = await CallAsync(theirs, key);
            Assert.True(answer.Status == HttpStatusCode.Forbidden, $"{scope} key on another account: {answer}");
            Assert.Equal("forbidden", answer.Json.GetProperty("code").GetString());
            Assert.DoesNotContain("\"available\"", answer.Text, StringComparison.Ordinal); // no balance, no entries
            Assert.Equal(before, await JournalTextAsync(theirs));
        }

        // Too small a scope on its own account: 403, nothing changes.
        foreach (var (scope, key) in keys.Where(k => rank[k.Key] < rank[needs]))
        {
            var before = await JournalTextAsync(mine);
            var answer = await CallAsync(mine, key);
            Assert.True(answer.Status == HttpStatusCode.Forbidden, $"{scope} key on a route needing {needs}: {answer}");
            Assert.Equal(before, await JournalTextAsync(mine));
        }

        // No token, a malformed one, an unknown one: 401.
        foreach (var key in new string?[] { null, "gk_not-a-key", "gk_" + new string('A', 12) + "_" + new string('B', 43), "Basic abc" })
        {
            var answer = await CallAsync(mine, key);
            Assert.True(answer.Status == HttpStatusCode.Unauthorized, $"token '{key}': {answer}");
        }

        // Enough scope on its own account: admitted (the answer is the route's own, not 401/403).
        foreach (var (scope, key) in keys.Where(k => rank[k.Key] >= rank[needs]))
        {
            var answer = await CallAsync(mine, key);
            Assert.True((int)answer.Status is >= 200 and < 300, $"{scope} key on a route needing {needs}: {answer}");
        }

        var asOperator = await CallAsync(mine, LedgerSiloFixture.AdminKey);
        Assert.True((int)asOperator.Status is >= 200 and < 300 || asOperator.Status == HttpStatusCode.Conflict, asOperator.ToString());
    }

    private async Task<string> JournalTextAsync(string account) => (await Operator.GetAsync($"/v1/accounts/{account}/journal?limit=1000")).Text;
}
