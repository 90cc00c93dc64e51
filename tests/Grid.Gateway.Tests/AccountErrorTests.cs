using System.Net;
using System.Text.Json;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests;

/// <summary>The ledger's refusals over HTTP: stable code, API.md status, the details clients need, and nothing written.</summary>
public sealed class AccountErrorTests(LedgerSiloFixture fixture) : IClassFixture<LedgerSiloFixture>
{
    private LedgerApi Api => fixture.Api;

    [Fact]
    public async Task Unknown_accounts_are_404_and_reads_do_not_create_them()
    {
        foreach (var path in new[] { "/v1/accounts/errors-ghost", "/v1/accounts/errors-ghost/holds", "/v1/accounts/errors-ghost/journal" })
        {
            var read = await Api.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, read.Status);
            Assert.Equal("not_found", read.Code);
            Assert.Equal("id", read.Json.GetProperty("field").GetString()); // the path's name for the account
        }

        var debit = await Api.PostAsync("/v1/accounts/errors-ghost/debits", new { operationId = "d", amount = 1 });
        Assert.Equal(HttpStatusCode.NotFound, debit.Status);
        Assert.Equal("not_found", debit.Code);
        Assert.Equal("id", debit.Json.GetProperty("field").GetString());
        var deposit = await Api.PostAsync("/v1/accounts/errors-ghost/deposits", new { operationId = "d", amount = 1 });
        Assert.Equal(HttpStatusCode.NotFound, deposit.Status);

        Assert.Null(await fixture.Store.LoadAsync("errors-ghost", CancellationToken.None));
        Assert.Empty(await fixture.Store.ReadJournalAsync("errors-ghost", 0, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Existing_id_is_409_already_exists()
    {
        await Api.CreateAccountAsync("errors-twice");
        var again = await Api.PostAsync("/v1/accounts", new { id = "errors-twice", name = "other" });

        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal("already_exists", again.Code);
        Assert.Single(await fixture.Store.ReadJournalAsync("errors-twice", 0, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Reused_operation_id_with_other_arguments_is_409_idempotency_conflict_naming_the_field()
    {
        var id = await Api.CreateAccountAsync("errors-idem");
        await Api.DepositAsync(id, "op-1", 100);

        var otherAmount = await Api.PostAsync($"/v1/accounts/{id}/deposits", new { operationId = "op-1", amount = 101 });
        Assert.Equal(HttpStatusCode.Conflict, otherAmount.Status);
        Assert.Equal("idempotency_conflict", otherAmount.Code);
        Assert.Equal("amount", otherAmount.Json.GetProperty("field").GetString());

        var otherReference = await Api.PostAsync($"/v1/accounts/{id}/deposits", new { operationId = "op-1", amount = 100, reference = "x" });
        Assert.Equal("reference", otherReference.Json.GetProperty("field").GetString());

        var otherKind = await Api.PostAsync($"/v1/accounts/{id}/debits", new { operationId = "op-1", amount = 100 });
        Assert.Equal(HttpStatusCode.Conflict, otherKind.Status);
        Assert.Equal("idempotency_conflict", otherKind.Code);
        Assert.Equal("operationId", otherKind.Json.GetProperty("field").GetString());

        // Conflicts name the field as the request calls it.
        await Api.DepositAsync(id, "op-2", 1_000);
        Assert.Equal(HttpStatusCode.Created, (await Api.PostAsync($"/v1/accounts/{id}/holds", new { operationId = "hold-1", amount = 10, expiresInSeconds = 60 })).Status);
        var otherExpiry = await Api.PostAsync($"/v1/accounts/{id}/holds", new { operationId = "hold-1", amount = 10, expiresInSeconds = 61 });
        Assert.Equal("idempotency_conflict", otherExpiry.Code);
        Assert.Equal("expiresInSeconds", otherExpiry.Json.GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync($"/v1/accounts/{id}/debits", new { operationId = "debit-1", amount = 10, reason = "job-1" })).Status);
        var otherReason = await Api.PostAsync($"/v1/accounts/{id}/debits", new { operationId = "debit-1", amount = 10, reason = "job-2" });
        Assert.Equal("idempotency_conflict", otherReason.Code);
        Assert.Equal("reason", otherReason.Json.GetProperty("field").GetString());
        var otherMetadata = await Api.PostAsync($"/v1/accounts/{id}/debits", new { operationId = "debit-1", amount = 10, reason = "job-1", metadata = new { a = 1 } });
        Assert.Equal("metadata", otherMetadata.Json.GetProperty("field").GetString());

        Assert.Equal(5, (await Api.JournalAsync(id)).Count);
    }

    [Fact]
    public async Task Spending_more_than_available_is_402_with_available_and_required()
    {
        var id = await Api.CreateAccountAsync("errors-funds");
        await Api.DepositAsync(id, "dep", 500);

        var debit = await Api.PostAsync($"/v1/accounts/{id}/debits", new { operationId = "deb", amount = 501 });
        Assert.Equal(HttpStatusCode.PaymentRequired, debit.Status);
        Assert.Equal("insufficient_funds", debit.Code);
        Assert.Equal(500, debit.Json.GetProperty("available").GetInt64());
        Assert.Equal(501, debit.Json.GetProperty("required").GetInt64());

        var hold = await Api.PostAsync($"/v1/accounts/{id}/holds", new { operationId = "h", amount = 600 });
        Assert.Equal(HttpStatusCode.PaymentRequired, hold.Status);
        Assert.Equal("insufficient_funds", hold.Code);

        var refund = await Api.PostAsync($"/v1/accounts/{id}/refunds", new { operationId = "r", amount = 1_000 });
        Assert.Equal(HttpStatusCode.PaymentRequired, refund.Status);

        // Refused operations leave no trace: the same ids work once funds are there.
        Assert.Equal(2, (await Api.JournalAsync(id)).Count);
        await Api.DepositAsync(id, "dep-2", 1);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync($"/v1/accounts/{id}/debits", new { operationId = "deb", amount = 501 })).Status);
    }

    [Fact]
    public async Task Hold_errors_are_not_found_hold_closed_and_capture_beyond_the_hold()
    {
        var id = await Api.CreateAccountAsync("errors-holds");
        await Api.DepositAsync(id, "dep", 1_000);
        Assert.Equal(HttpStatusCode.Created, (await Api.PostAsync($"/v1/accounts/{id}/holds", new { operationId = "h", amount = 700 })).Status);

        var unknown = await Api.PostAsync($"/v1/accounts/{id}/holds/nope/capture", new { operationId = "c0", amount = 1 });
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("not_found", unknown.Code);

        var tooMuch = await Api.PostAsync($"/v1/accounts/{id}/holds/h/capture", new { operationId = "c1", amount = 701 });
        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.Status);
        Assert.Equal("validation_failed", tooMuch.Code);
        Assert.True(tooMuch.Json.GetProperty("errors").TryGetProperty("amount", out _), tooMuch.ToString());

        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync($"/v1/accounts/{id}/holds/h/void", new { operationId = "v1" })).Status);
        var capture = await Api.PostAsync($"/v1/accounts/{id}/holds/h/capture", new { operationId = "c2", amount = 1 });
        Assert.Equal(HttpStatusCode.Conflict, capture.Status);
        Assert.Equal("hold_closed", capture.Code);
        var voidAgain = await Api.PostAsync($"/v1/accounts/{id}/holds/h/void", new { operationId = "v2" });
        Assert.Equal("hold_closed", voidAgain.Code);

        Assert.Equal(["open", "deposit", "hold", "void"], (await Api.JournalAsync(id)).Select(e => e.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Status_errors_are_account_frozen_account_closed_account_not_empty_and_invalid_state()
    {
        var id = await Api.CreateAccountAsync("errors-status");
        await Api.DepositAsync(id, "dep", 10);

        var notFrozen = await Api.PostAsync($"/v1/accounts/{id}/unfreeze", new { operationId = "u0" });
        Assert.Equal(HttpStatusCode.Conflict, notFrozen.Status);
        Assert.Equal("invalid_state", notFrozen.Code);

        var notEmpty = await Api.PostAsync($"/v1/accounts/{id}/close", new { operationId = "close-0" });
        Assert.Equal(HttpStatusCode.Conflict, notEmpty.Status);
        Assert.Equal("account_not_empty", notEmpty.Code);

        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync($"/v1/accounts/{id}/freeze", new { operationId = "f" })).Status);
        var frozenDebit = await Api.PostAsync($"/v1/accounts/{id}/debits", new { operationId = "d", amount = 1 });
        Assert.Equal(HttpStatusCode.Conflict, frozenDebit.Status);
        Assert.Equal("account_frozen", frozenDebit.Code);
        Assert.Equal("account_frozen", (await Api.PostAsync($"/v1/accounts/{id}/holds", new { operationId = "h", amount = 1 })).Code);
        Assert.Equal("invalid_state", (await Api.PostAsync($"/v1/accounts/{id}/freeze", new { operationId = "f2" })).Code);
        // Money arriving is never refused for a freeze.
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync($"/v1/accounts/{id}/deposits", new { operationId = "dep-2", amount = 5 })).Status);

        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync($"/v1/accounts/{id}/unfreeze", new { operationId = "u" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync($"/v1/accounts/{id}/refunds", new { operationId = "r", amount = 15 })).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync($"/v1/accounts/{id}/close", new { operationId = "close" })).Status);
        var closed = await Api.PostAsync($"/v1/accounts/{id}/deposits", new { operationId = "dep-3", amount = 1 });
        Assert.Equal(HttpStatusCode.Conflict, closed.Status);
        Assert.Equal("account_closed", closed.Code);

        Assert.Equal(
            ["open", "deposit", "freeze", "deposit", "unfreeze", "refund", "close"],
            (await Api.JournalAsync(id)).Select(e => e.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task More_open_holds_than_the_limit_is_409_too_many_holds()
    {
        var id = await Api.CreateAccountAsync("errors-many-holds");
        await Api.DepositAsync(id, "dep", 10_000);
        const int limit = 1_000; // AccountSettings.DefaultMaxOpenHolds
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) <= limit)
            {
                var placed = await Api.PostAsync($"/v1/accounts/{id}/holds", new { operationId = $"h-{i}", amount = 1 });
                Assert.True(placed.Status == HttpStatusCode.Created, placed.ToString());
            }
        }));

        var over = await Api.PostAsync($"/v1/accounts/{id}/holds", new { operationId = "h-over", amount = 1 });
        Assert.Equal(HttpStatusCode.Conflict, over.Status);
        Assert.Equal("too_many_holds", over.Code);
        Assert.Equal(limit, (await Api.GetAsync($"/v1/accounts/{id}/holds")).Json.GetProperty("holds").GetArrayLength());
    }

    public static TheoryData<string, string> Routes() => new()
    {
        { "POST", "/v1/accounts" },
        { "GET", "/v1/accounts/errors-auth" },
        { "GET", "/v1/accounts/errors-auth/holds" },
        { "GET", "/v1/accounts/errors-auth/journal" },
        { "POST", "/v1/accounts/errors-auth/deposits" },
        { "POST", "/v1/accounts/errors-auth/adjustments" },
        { "POST", "/v1/accounts/errors-auth/debits" },
        { "POST", "/v1/accounts/errors-auth/refunds" },
        { "POST", "/v1/accounts/errors-auth/holds" },
        { "POST", "/v1/accounts/errors-auth/holds/h/capture" },
        { "POST", "/v1/accounts/errors-auth/holds/h/void" },
        { "POST", "/v1/accounts/errors-auth/freeze" },
        { "POST", "/v1/accounts/errors-auth/unfreeze" },
        { "POST", "/v1/accounts/errors-auth/close" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_account_route_needs_the_admin_key(string method, string path)
    {
        const string body = """{"id":"errors-auth","operationId":"op","amount":1,"reason":"r"}""";
        foreach (var key in new[] { null, "wrong-key", LedgerSiloFixture.AdminKey + "x" })
        {
            var response = method == "GET"
                ? await Api.GetAsync(path, key: key)
                : await Api.PostJsonAsync(path, body, key: key);
            Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
            Assert.Equal("unauthorized", response.Code);
        }

        Assert.Null(await fixture.Store.LoadAsync("errors-auth", CancellationToken.None));
    }

    [Fact]
    public async Task Account_routes_are_refused_when_no_admin_key_is_configured()
    {
        using var directory = new TemporaryDirectory();
        await using var silo = SiloProcess.Start(directory.Path, new Dictionary<string, string>());
        await silo.WaitReadyAsync();
        var api = new LedgerApi(silo.Http, adminKey: "anything");

        var create = await api.PostAsync("/v1/accounts", new { id = "x" });
        Assert.Equal(HttpStatusCode.Unauthorized, create.Status);
        Assert.Contains("Grid:Auth:AdminKey", create.Json.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/v1/accounts/x")).Status);
    }

    [Fact]
    public async Task Problems_are_problem_json_with_type_title_status_and_detail()
    {
        var response = await Api.GetAsync("/v1/accounts/errors-none");
        Assert.Equal("application/problem+json", response.MediaType);
        var problem = response.Json;
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Equal(JsonValueKind.String, problem.GetProperty("type").ValueKind);
        Assert.Equal(JsonValueKind.String, problem.GetProperty("title").ValueKind);
        Assert.Contains("errors-none", problem.GetProperty("detail").GetString());
    }
}
