using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests;

/// <summary>
/// Guest tokens on the real silo: issued by the operator or an account's admin key, bound to one account,
/// read or charge only, expiring, and refused once forged, tampered with or expired. Tokens are built here
/// independently from the documented format (<c>gt_</c> base64url payload, '.', base64url HMAC-SHA256).
/// </summary>
public sealed class GuestTokenTests(LedgerSiloFixture fixture) : IClassFixture<LedgerSiloFixture>
{
    private LedgerApi Operator => fixture.Api;

    private LedgerApi As(string token) => new(fixture.Silo.Http, token);

    private async Task<string> FundedAccountAsync(string id)
    {
        await Operator.CreateAccountAsync(id);
        await Operator.DepositAsync(id, "fund", 1_000);
        return id;
    }

    private async Task<ApiResponse> IssueAsync(string accountId, object body, string? key = "") =>
        await Operator.PostJsonAsync($"/v1/accounts/{accountId}/tokens", JsonSerializer.Serialize(body), key: key);

    [Fact]
    public async Task Revoking_an_account_s_tokens_refuses_every_earlier_one_at_once_and_no_later_one()
    {
        var mine = await FundedAccountAsync("revoke-mine");
        var other = await FundedAccountAsync("revoke-other");
        var first = (await IssueAsync(mine, new { })).Json.GetProperty("token").GetString()!;
        var second = (await IssueAsync(mine, new { scopes = new[] { "read" } })).Json.GetProperty("token").GetString()!;
        var others = (await IssueAsync(other, new { })).Json.GetProperty("token").GetString()!;
        var adminKey = (await Operator.PostAsync("/v1/keys", new { accountId = mine, scopes = new[] { "admin" } })).Json.GetProperty("key").GetString()!;
        var chargeKey = (await Operator.PostAsync("/v1/keys", new { accountId = mine, scopes = new[] { "charge" } })).Json.GetProperty("key").GetString()!;

        // Neither a token nor a charge key may revoke; nothing changes when they try.
        Assert.Equal(HttpStatusCode.Forbidden, (await As(first).SendAsync(HttpMethod.Delete, $"/v1/accounts/{mine}/tokens")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await As(chargeKey).SendAsync(HttpMethod.Delete, $"/v1/accounts/{mine}/tokens")).Status);
        Assert.Equal(HttpStatusCode.OK, (await As(first).GetAsync($"/v1/accounts/{mine}")).Status);

        var revoked = await As(adminKey).SendAsync(HttpMethod.Delete, $"/v1/accounts/{mine}/tokens");

        Assert.Equal(HttpStatusCode.NoContent, revoked.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await As(first).GetAsync($"/v1/accounts/{mine}")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await As(second).GetAsync($"/v1/accounts/{mine}")).Status);
        var spent = await As(first).PostAsync($"/v1/accounts/{mine}/debits", new { operationId = "after-revoke", amount = 1 });
        Assert.Equal((HttpStatusCode.Unauthorized, "unauthorized"), (spent.Status, spent.Code));
        Assert.DoesNotContain(await Operator.JournalAsync(mine), e => e.GetProperty("operationId").GetString() == "after-revoke");
        Assert.Equal(HttpStatusCode.OK, (await As(others).GetAsync($"/v1/accounts/{other}")).Status); // another account's tokens live on

        // Revocation covers tokens issued up to its millisecond; a token issued afterwards works.
        await Task.Delay(5);
        var fresh = (await IssueAsync(mine, new { })).Json.GetProperty("token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await As(fresh).GetAsync($"/v1/accounts/{mine}")).Status);

        // The operator may revoke too; an unknown account is 404.
        Assert.Equal(HttpStatusCode.NoContent, (await Operator.SendAsync(HttpMethod.Delete, $"/v1/accounts/{mine}/tokens")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await As(fresh).GetAsync($"/v1/accounts/{mine}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Operator.SendAsync(HttpMethod.Delete, "/v1/accounts/revoke-nobody/tokens")).Status);
    }

    [Fact]
    public async Task A_guest_token_reads_and_charges_its_own_account_and_nothing_else()
    {
        var mine = await FundedAccountAsync("guest-mine");
        var other = await FundedAccountAsync("guest-other");

        var issued = await IssueAsync(mine, new { });
        Assert.Equal(HttpStatusCode.Created, issued.Status);
        var token = issued.Json.GetProperty("token").GetString()!;
        Assert.StartsWith("gt_", token, StringComparison.Ordinal);
        Assert.Equal(mine, issued.Json.GetProperty("accountId").GetString());
        Assert.Equal(["read", "charge"], issued.Json.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var expiresAt = issued.Json.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61)); // the 1 h default

        var guest = As(token);
        Assert.Equal(HttpStatusCode.OK, (await guest.GetAsync($"/v1/accounts/{mine}")).Status);
        var debit = await guest.PostAsync($"/v1/accounts/{mine}/debits", new { operationId = "u:guest-debit", amount = 7 });
        Assert.Equal(HttpStatusCode.OK, debit.Status);
        Assert.Contains(await Operator.JournalAsync(mine), e => e.GetProperty("operationId").GetString() == "u:guest-debit" && e.GetProperty("amount").GetInt64() == 7);

        // Another account, the admin scope's routes and the operator's are all refused, and nothing is written.
        var refusals = new[]
        {
            await guest.GetAsync($"/v1/accounts/{other}"),
            await guest.PostAsync($"/v1/accounts/{other}/debits", new { operationId = "guest-steal", amount = 1 }),
            await guest.PostAsync($"/v1/accounts/{mine}/freeze", new { operationId = "guest-freeze" }),
            await guest.PostAsync($"/v1/accounts/{mine}/deposits", new { operationId = "guest-mint", amount = 1 }),
            await guest.PostAsync($"/v1/accounts/{mine}/tokens", new { }),
            await guest.GetAsync($"/v1/keys?accountId={mine}"),
        };
        Assert.All(refusals, r => Assert.True(r.Status == HttpStatusCode.Forbidden && r.Code == "forbidden", r.ToString()));
        Assert.DoesNotContain(await Operator.JournalAsync(other), e => e.GetProperty("operationId").GetString() == "guest-steal");
        Assert.DoesNotContain(await Operator.JournalAsync(mine), e => e.GetProperty("operationId").GetString() is "guest-freeze" or "guest-mint");
    }

    [Fact]
    public async Task A_guest_tokens_operation_ids_are_a_namespace_of_their_own_so_a_player_cannot_take_its_servers_next_id()
    {
        var mine = await FundedAccountAsync("guest-ids");
        var guest = As((await IssueAsync(mine, new { })).Json.GetProperty("token").GetString()!);
        var server = As((await Operator.PostAsync("/v1/keys", new { accountId = mine, scopes = new[] { "charge" } })).Json.GetProperty("key").GetString()!);
        Assert.Equal(HttpStatusCode.Created, (await server.PostAsync($"/v1/accounts/{mine}/holds", new { operationId = "job-1042", amount = 100 })).Status);

        // The player reads the server's pattern in its journal and takes the id of the capture to come, for a credit.
        var taken = new[]
        {
            await guest.PostAsync($"/v1/accounts/{mine}/debits", new { operationId = "job-1042:capture", amount = 1 }),
            await guest.PostAsync($"/v1/accounts/{mine}/holds", new { operationId = "job-1043", amount = 1 }),
            await guest.PostAsync("/v1/casts", new { operationId = "job-1044", accountId = mine, kind = "upscale" }),
        };
        Assert.All(taken, r => Assert.True(
            r.Status == HttpStatusCode.BadRequest && r.Code == "validation_failed" && r.Text.Contains("\"operationId\"", StringComparison.Ordinal), r.ToString()));
        // The server's own key may not use the end users' namespace either.
        var intoTheirs = await server.PostAsync($"/v1/accounts/{mine}/debits", new { operationId = "u:spend", amount = 1 });
        Assert.True(intoTheirs.Status == HttpStatusCode.BadRequest && intoTheirs.Text.Contains("\"operationId\"", StringComparison.Ordinal), intoTheirs.ToString());
        var castByServer = await server.PostAsync("/v1/casts", new { operationId = "u:cast", accountId = mine, kind = "upscale" });
        Assert.True(castByServer.Status == HttpStatusCode.BadRequest && castByServer.Text.Contains("\"operationId\"", StringComparison.Ordinal), castByServer.ToString());

        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync($"/v1/accounts/{mine}/holds/job-1042/capture", new { operationId = "job-1042:capture", amount = 60 })).Status);
        Assert.Equal(HttpStatusCode.OK, (await guest.PostAsync($"/v1/accounts/{mine}/debits", new { operationId = "u:job-1042:capture", amount = 1 })).Status);
        var journal = (await Operator.JournalAsync(mine)).Select(e => (e.GetProperty("operationId").GetString(), e.GetProperty("kind").GetString())).ToArray();
        Assert.Equal([("job-1042", "hold"), ("job-1042:capture", "capture"), ("u:job-1042:capture", "debit")], journal.Where(e => e.Item2 is "hold" or "capture" or "debit"));
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync("/v1/casts/job-1044")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync("/v1/casts/u:cast")).Status);
    }

    [Fact]
    public async Task A_guest_token_spends_but_does_not_settle_and_the_servers_key_does()
    {
        var mine = await FundedAccountAsync("guest-settle");
        var host = await FundedAccountAsync("guest-settle-host");
        var guest = As((await IssueAsync(mine, new { })).Json.GetProperty("token").GetString()!);
        var server = As((await Operator.PostAsync("/v1/keys", new { accountId = mine, scopes = new[] { "charge" } })).Json.GetProperty("key").GetString()!);
        var castId = $"u:guest-cast-{Guid.NewGuid():N}";
        var sessionId = $"guest-session-{Guid.NewGuid():N}";

        // Spending is the end user's: a hold and a cast's start at its kind's listed price (what the cast costs, its server
        // says when it completes). The hold behind a cast and the time to complete it are the server's: a quote of 1, a
        // buffer of 0 or a timeout of a second would leave the server that ran the work unpaid.
        // A hold's expiry is the server's too: a second would void the hold before the server that ran the work captured it.
        var expiring = await guest.PostAsync($"/v1/accounts/{mine}/holds", new { operationId = "u:guest-hold", amount = 100, expiresInSeconds = 1 });
        Assert.True(expiring.Status == HttpStatusCode.Forbidden && expiring.Code == "forbidden" && expiring.Text.Contains("expiresInSeconds", StringComparison.Ordinal), expiring.ToString());
        Assert.DoesNotContain(await Operator.JournalAsync(mine), e => e.GetProperty("operationId").GetString() == "u:guest-hold");
        Assert.Equal(HttpStatusCode.Created, (await guest.PostAsync($"/v1/accounts/{mine}/holds", new { operationId = "u:guest-hold", amount = 100 })).Status);
        var castRefusals = new[]
        {
            await guest.PostAsync("/v1/casts", new { operationId = castId, accountId = mine, quote = 1 }),
            await guest.PostAsync("/v1/casts", new { operationId = castId, accountId = mine, kind = "upscale", bufferPercent = 0 }),
            await guest.PostAsync("/v1/casts", new { operationId = castId, accountId = mine, kind = "upscale", timeoutSeconds = 1 }),
        };
        Assert.All(castRefusals, r => Assert.True(r.Status == HttpStatusCode.Forbidden && r.Code == "forbidden", r.ToString()));
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync($"/v1/casts/{castId}")).Status);
        Assert.Equal(HttpStatusCode.Created, (await guest.PostAsync("/v1/casts", new { operationId = castId, accountId = mine, kind = "upscale" })).Status);

        // Saying what the work cost is not: each would release what it holds for nothing, or (a session's start names
        // its price per unit and who is paid) bill a trillion units at a fraction of a credit to the player's own host.
        var startByGuest = await guest.PostAsync("/v1/sessions", new { operationId = "guest-own-session", accountId = mine, hostAccountId = host, deposit = 200, pricePerUnit = 0.0000001m });
        Assert.True(startByGuest.Status == HttpStatusCode.Forbidden && startByGuest.Code == "forbidden", startByGuest.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync("/v1/sessions/guest-own-session")).Status);
        Assert.Equal(HttpStatusCode.Created, (await server.PostAsync("/v1/sessions", new { operationId = sessionId, accountId = mine, hostAccountId = host, deposit = 200, pricePerUnit = 1 })).Status);
        var refusals = new[]
        {
            await guest.PostAsync($"/v1/accounts/{mine}/holds/u:guest-hold/void", new { operationId = "guest-void" }),
            await guest.PostAsync($"/v1/accounts/{mine}/holds/u:guest-hold/capture", new { operationId = "guest-capture", amount = 0 }),
            await guest.PostAsync($"/v1/casts/{castId}/complete", new { operationId = "guest-complete", price = 0 }),
            await guest.PostAsync($"/v1/casts/{castId}/fail", new { operationId = "guest-fail", reason = "said so" }),
            await guest.PostAsync($"/v1/sessions/{sessionId}/usage", new { operationId = "guest-usage", units = 1 }),
            await guest.PostAsync($"/v1/sessions/{sessionId}/end", new { operationId = "guest-end" }),
        };
        Assert.All(refusals, r => Assert.True(r.Status == HttpStatusCode.Forbidden && r.Code == "forbidden", r.ToString()));
        Assert.Equal("running", (await guest.GetAsync($"/v1/casts/{castId}")).Json.GetProperty("status").GetString());
        var balance = (await guest.GetAsync($"/v1/accounts/{mine}")).Json.GetProperty("balance");
        Assert.Equal((664L, 336L), (balance.GetProperty("available").GetInt64(), balance.GetProperty("held").GetInt64())); // 100 + 36 (upscale's 30 and 20%) + 200

        // The server that ran the work settles it with its account key.
        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync($"/v1/accounts/{mine}/holds/u:guest-hold/capture", new { operationId = "server-capture", amount = 80 })).Status);
        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync($"/v1/casts/{castId}/complete", new { operationId = "server-complete", price = 40 })).Status);
        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync($"/v1/sessions/{sessionId}/usage", new { operationId = "server-usage", units = 30 })).Status);
        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync($"/v1/sessions/{sessionId}/end", new { operationId = "server-end" })).Status);
        balance = (await guest.GetAsync($"/v1/accounts/{mine}")).Json.GetProperty("balance");
        Assert.Equal((850L, 0L), (balance.GetProperty("available").GetInt64(), balance.GetProperty("held").GetInt64()));
    }

    [Fact]
    public async Task A_read_only_guest_token_cannot_charge()
    {
        var mine = await FundedAccountAsync("guest-reader");
        var issued = await IssueAsync(mine, new { scopes = new[] { "read" }, expiresInSeconds = 300 });
        Assert.Equal(["read"], issued.Json.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.InRange(issued.Json.GetProperty("expiresAt").GetDateTimeOffset() - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(290), TimeSpan.FromSeconds(310));
        var guest = As(issued.Json.GetProperty("token").GetString()!);

        Assert.Equal(HttpStatusCode.OK, (await guest.GetAsync($"/v1/accounts/{mine}/journal")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await guest.PostAsync($"/v1/accounts/{mine}/debits", new { operationId = "reader-debit", amount = 1 })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await guest.PostAsync($"/v1/accounts/{mine}/holds", new { operationId = "reader-hold", amount = 1 })).Status);
    }

    [Fact]
    public async Task An_account_admin_key_issues_tokens_for_its_own_account_only()
    {
        var mine = await FundedAccountAsync("guest-keyed");
        var other = await FundedAccountAsync("guest-keyed-other");
        var admin = await KeyAsync(mine, "admin");
        var charge = await KeyAsync(mine, "charge");

        Assert.Equal(HttpStatusCode.Created, (await IssueAsync(mine, new { }, admin)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await IssueAsync(other, new { }, admin)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await IssueAsync(mine, new { }, charge)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await IssueAsync(mine, new { }, null)).Status);
    }

    [Theory]
    [InlineData("""{"scopes":["admin"]}""", "scopes")]
    [InlineData("""{"scopes":[]}""", "scopes")]
    [InlineData("""{"scopes":["read","write"]}""", "scopes")]
    [InlineData("""{"scopes":"read"}""", "scopes")]
    [InlineData("""{"expiresInSeconds":0}""", "expiresInSeconds")]
    [InlineData("""{"expiresInSeconds":86401}""", "expiresInSeconds")]
    [InlineData("""{"expiresInSeconds":"60"}""", "expiresInSeconds")]
    [InlineData("""{"expiresInSeconds":1.5}""", "expiresInSeconds")]
    [InlineData("""{"scopes":["read"]""", "body")]
    public async Task Bad_token_requests_are_400_naming_the_field(string body, string field)
    {
        var mine = "guest-bad-input";
        if ((await Operator.GetAsync($"/v1/accounts/{mine}")).Status == HttpStatusCode.NotFound)
        {
            await Operator.CreateAccountAsync(mine);
        }

        var response = await Operator.PostJsonAsync($"/v1/accounts/{mine}/tokens", body);

        Assert.True(response.Status == HttpStatusCode.BadRequest && response.Code == "validation_failed", response.ToString());
        Assert.True(response.Json.GetProperty("errors").TryGetProperty(field, out _), response.Text);
    }

    [Fact]
    public async Task No_token_is_issued_for_an_account_that_does_not_exist()
    {
        var response = await IssueAsync("guest-nobody", new { });

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("not_found", response.Code);
        Assert.Equal(HttpStatusCode.NotFound, (await Operator.GetAsync("/v1/accounts/guest-nobody")).Status); // not created by the attempt
    }

    [Fact]
    public async Task Forged_tampered_expired_and_admin_tokens_are_401()
    {
        var mine = await FundedAccountAsync("guest-forged");
        var genuine = (await IssueAsync(mine, new { })).Json.GetProperty("token").GetString()!;
        var now = DateTimeOffset.UtcNow;

        // The format as documented, signed here: the silo must accept this one, or the others prove nothing.
        var wellFormed = Sign(Payload("guest", mine, "charge", now, now.AddMinutes(5)), LedgerSiloFixture.TokenSecret);
        Assert.Equal(HttpStatusCode.OK, (await As(wellFormed).GetAsync($"/v1/accounts/{mine}")).Status);

        var refused = new[]
        {
            Sign(Payload("guest", mine, "charge", now.AddHours(-2), now.AddSeconds(-1)), LedgerSiloFixture.TokenSecret), // expired
            Sign(Payload("guest", mine, "charge", now, now.AddMinutes(5)), "another-secret-of-enough-length-0123456789"), // someone else's secret
            Sign(Payload("guest", mine, "admin", now, now.AddMinutes(5)), LedgerSiloFixture.TokenSecret), // tokens never carry admin
            Sign(Payload("guest", mine, "charge", now, now.AddMinutes(5)).Replace("\"v\":1", "\"v\":2", StringComparison.Ordinal), LedgerSiloFixture.TokenSecret),
            Tamper(genuine, genuine.IndexOf('.', StringComparison.Ordinal) - 3), // payload changed, MAC kept
            Tamper(genuine, genuine.Length - 2), // MAC changed
            genuine[..genuine.IndexOf('.', StringComparison.Ordinal)], // no MAC
            genuine + "A",
            "gt_" + new string('A', 2_000),
            "gt_.",
        };
        foreach (var token in refused)
        {
            var response = await As(token).PostAsync($"/v1/accounts/{mine}/debits", new { operationId = "forged-debit", amount = 1 });
            Assert.True(response.Status == HttpStatusCode.Unauthorized && response.Code == "unauthorized", $"{token}: {response}");
        }

        Assert.DoesNotContain(await Operator.JournalAsync(mine), e => e.GetProperty("operationId").GetString() == "forged-debit");
    }

    private async Task<string> KeyAsync(string accountId, string scope)
    {
        var issued = await Operator.PostAsync("/v1/keys", new { accountId, scopes = new[] { scope } });
        Assert.True(issued.Status == HttpStatusCode.Created, issued.ToString());
        return issued.Json.GetProperty("key").GetString()!;
    }

    private static string Payload(string kind, string accountId, string scope, DateTimeOffset issuedAt, DateTimeOffset expiresAt) =>
        $$"""{"v":1,"k":"{{kind}}","a":"{{accountId}}","s":"{{scope}}","iat":{{issuedAt.ToUnixTimeMilliseconds()}},"exp":{{expiresAt.ToUnixTimeMilliseconds()}},"jti":"test-token"}""";

    private static string Sign(string payloadJson, string secret)
    {
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payloadJson));
        var mac = Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(payload)));
        return $"gt_{payload}.{mac}";
    }

    private static string Tamper(string token, int at)
    {
        var chars = token.ToCharArray();
        chars[at] = chars[at] == 'A' ? 'B' : 'A';
        return new string(chars);
    }
}
