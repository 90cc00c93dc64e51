using System.Net;
using System.Text.Json;
using Grid.Gateway.Tests.Sessions;
using Grid.Gateway.Tests.Support;
using Grid.Stripe.TestKit;
using Grid.Stripe.TestKit.Events;

namespace Grid.Gateway.Tests.Casts;

/// <summary>
/// Casts over HTTP on the built silo: credits bought by card (a signed webhook), held upfront for a cast, settled
/// for the actual cost with the rest released; journal and balances checked to the credit.
/// </summary>
public sealed class CastStoryTests(CardSiloFixture card) : IClassFixture<CardSiloFixture>
{
    private LedgerApi Api => card.Api;

    [Fact]
    public async Task A_card_top_up_pays_a_cast_held_with_its_buffer_settled_at_its_price_and_a_failed_cast_releases_everything()
    {
        var account = await Api.CreateAccountAsync();
        var (_, session) = await card.StartCheckoutAsync(account, "topup-cast");
        var paid = card.Stripe.CompleteCheckoutSession(session.Id);
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.CheckoutSessionCompleted(StripeTestIds.Event(), paid))));
        Assert.Equal(2_000, await card.AvailableAsync(account));

        var started = await PostAsync("/v1/casts", new { operationId = "cast-story-1", accountId = account, quote = 100, kind = "upscale" });
        Assert.Equal(HttpStatusCode.Created, started.Status);
        Assert.Equal(120, started.Json.GetProperty("held").GetInt64()); // the default 20% buffer
        Assert.Equal("running", started.Json.GetProperty("status").GetString());
        await AssertBalanceAsync(account, available: 1_880, held: 120);

        var completed = await PostAsync("/v1/casts/cast-story-1/complete", new { operationId = "cast-story-1-done", price = 73 });
        Assert.Equal(HttpStatusCode.OK, completed.Status);
        Assert.Equal("completed", completed.Json.GetProperty("status").GetString());
        Assert.Equal(73, completed.Json.GetProperty("charged").GetInt64());
        Assert.Equal(47, completed.Json.GetProperty("refunded").GetInt64());
        await AssertBalanceAsync(account, available: 1_927, held: 0);

        var failing = await PostAsync("/v1/casts", new { operationId = "cast-story-2", accountId = account, quote = 50 });
        Assert.Equal(60, failing.Json.GetProperty("held").GetInt64());
        await AssertBalanceAsync(account, available: 1_867, held: 60);
        var failed = await PostAsync("/v1/casts/cast-story-2/fail", new { operationId = "cast-story-2-failed", reason = "renderer crashed" });
        Assert.Equal("failed", failed.Json.GetProperty("status").GetString());
        Assert.Equal(0, failed.Json.GetProperty("charged").GetInt64());
        Assert.Equal(60, failed.Json.GetProperty("refunded").GetInt64());
        await AssertBalanceAsync(account, available: 1_927, held: 0);

        var journal = (await Api.JournalAsync(account)).Where(e => e.GetProperty("kind").GetString() != "open").ToList();
        Assert.Equal(
            [("deposit", 2_000L, 2_000L, 0L), ("hold", 120, 1_880, 120), ("capture", 73, 1_927, 0), ("hold", 60, 1_867, 60), ("void", 0, 1_927, 0)],
            journal.Select(e => (e.GetProperty("kind").GetString()!, e.GetProperty("amount").GetInt64(), e.GetProperty("available").GetInt64(), e.GetProperty("held").GetInt64())).ToArray());
        Assert.Equal("cast:cast-story-1:capture", journal[2].GetProperty("operationId").GetString());
        // Conservation: what came in is what is left plus what was charged.
        Assert.Equal(2_000, await card.AvailableAsync(account) + completed.Json.GetProperty("charged").GetInt64());
    }

    [Fact]
    public async Task Usage_billed_from_a_provider_cost_is_marked_up_and_rounded_up_and_a_call_without_a_cost_is_kept_for_review_uncharged()
    {
        var account = await FundedAccountAsync(1_000);
        await PostAsync("/v1/casts", new { operationId = "llm-1", accountId = account, quote = 10, kind = "llm" });
        var billed = await PostAsync("/v1/casts/llm-1/complete", new { operationId = "llm-1-done", providerCost = 1.234m });
        Assert.Equal(HttpStatusCode.OK, billed.Status);
        Assert.Equal(3, billed.Json.GetProperty("price").GetInt64()); // 1.234 x 2.0 = 2.468, rounded up
        Assert.Equal(3, billed.Json.GetProperty("charged").GetInt64());
        Assert.Equal(1.234m, billed.Json.GetProperty("providerCost").GetDecimal());
        var sameCost = await Api.PostJsonAsync("/v1/casts/llm-1/complete", """{"operationId":"llm-1-done","providerCost":1.2340}""");
        Assert.Equal(billed.Text, sameCost.Text); // one cost, however many trailing zeros

        await PostAsync("/v1/casts", new { operationId = "llm-2", accountId = account, quote = 10, kind = "llm" });
        var unknown = await PostAsync("/v1/casts/llm-2/complete", new { operationId = "llm-2-done" });
        Assert.Equal("needs_review", unknown.Json.GetProperty("status").GetString());
        Assert.Equal(0, unknown.Json.GetProperty("charged").GetInt64());
        await AssertBalanceAsync(account, available: 997, held: 0);

        // A cost a hair above 7: 14.0000000000000000000000000002 is rounded up to 15, from every digit of the product.
        await PostAsync("/v1/casts", new { operationId = "llm-3", accountId = account, quote = 20, kind = "llm" });
        var hair = await Api.PostJsonAsync("/v1/casts/llm-3/complete", """{"operationId":"llm-3-done","providerCost":7.0000000000000000000000000001}""");
        Assert.Equal(15, hair.Json.GetProperty("price").GetInt64());
        await AssertBalanceAsync(account, available: 982, held: 0);
    }

    [Fact]
    public async Task A_price_above_the_hold_debits_the_rest_when_the_balance_allows_and_is_kept_for_review_when_not()
    {
        var account = await FundedAccountAsync(300);
        await PostAsync("/v1/casts", new { operationId = "over-1", accountId = account, quote = 100 });
        var over = await PostAsync("/v1/casts/over-1/complete", new { operationId = "over-1-done", price = 200 });
        Assert.Equal("completed", over.Json.GetProperty("status").GetString());
        Assert.Equal(200, over.Json.GetProperty("charged").GetInt64());
        await AssertBalanceAsync(account, available: 100, held: 0);

        await PostAsync("/v1/casts", new { operationId = "over-2", accountId = account, quote = 50 });
        var short_ = await PostAsync("/v1/casts/over-2/complete", new { operationId = "over-2-done", price = 500 });
        Assert.Equal("needs_review", short_.Json.GetProperty("status").GetString());
        Assert.Equal(60, short_.Json.GetProperty("charged").GetInt64());
        Assert.Equal(440, short_.Json.GetProperty("shortfall").GetInt64());
        await AssertBalanceAsync(account, available: 40, held: 0);
    }

    [Fact]
    public async Task Every_change_is_idempotent_by_operation_id_and_a_second_ending_is_refused()
    {
        var account = await FundedAccountAsync(500);
        var first = await PostAsync("/v1/casts", new { operationId = "idem-1", accountId = account, kind = "upscale" });
        Assert.Equal(30, first.Json.GetProperty("quote").GetInt64()); // priced from the table
        Assert.Equal(36, first.Json.GetProperty("held").GetInt64());
        var again = await PostAsync("/v1/casts", new { operationId = "idem-1", accountId = account, kind = "upscale" });
        Assert.Equal(first.Json.GetProperty("held").GetInt64(), again.Json.GetProperty("held").GetInt64());
        var other = await PostAsync("/v1/casts", new { operationId = "idem-1", accountId = account, quote = 31 });
        Assert.Equal(HttpStatusCode.Conflict, other.Status);
        Assert.Equal(("idempotency_conflict", "quote"), (other.Code, other.Json.GetProperty("field").GetString()));
        // Judged by what was sent: the default buffer now sent by hand is another request, named.
        var buffered = await PostAsync("/v1/casts", new { operationId = "idem-1", accountId = account, kind = "upscale", bufferPercent = 20 });
        Assert.Equal(("idempotency_conflict", "bufferPercent"), (buffered.Code, buffered.Json.GetProperty("field").GetString()));

        var done = await PostAsync("/v1/casts/idem-1/complete", new { operationId = "idem-1-done", price = 20 });
        var replay = await PostAsync("/v1/casts/idem-1/complete", new { operationId = "idem-1-done", price = 20 });
        Assert.Equal(done.Text, replay.Text);
        var otherPrice = await PostAsync("/v1/casts/idem-1/complete", new { operationId = "idem-1-done", price = 21 });
        Assert.Equal(("idempotency_conflict", "price"), (otherPrice.Code, otherPrice.Json.GetProperty("field").GetString()));
        var failedUnderIt = await PostAsync("/v1/casts/idem-1/fail", new { operationId = "idem-1-done", reason = "late" });
        Assert.Equal(("idempotency_conflict", "operationId"), (failedUnderIt.Code, failedUnderIt.Json.GetProperty("field").GetString()));
        var second = await PostAsync("/v1/casts/idem-1/fail", new { operationId = "idem-1-fail", reason = "late" });
        Assert.Equal(HttpStatusCode.Conflict, second.Status);
        await AssertBalanceAsync(account, available: 480, held: 0);
    }

    [Fact]
    public async Task A_cast_past_its_timeout_is_voided_by_the_sweeper()
    {
        var account = await FundedAccountAsync(100);
        await PostAsync("/v1/casts", new { operationId = "slow-1", accountId = account, quote = 10, timeoutSeconds = 1 });
        await Grid.TestKit.Eventually.TrueAsync(
            async () =>
            {
                await Task.Delay(200);
                return (await Api.GetAsync("/v1/casts/slow-1")).Json.GetProperty("status").GetString() == "timed_out";
            },
            "the cast timed out",
            TimeSpan.FromSeconds(60));
        await AssertBalanceAsync(account, available: 100, held: 0);
        // Voided by the cast's own timeout, not left to the ledger's expiry of the hold (five minutes later).
        var last = (await Api.JournalAsync(account))[^1];
        Assert.Equal(("void", "cast:slow-1:void"), (last.GetProperty("kind").GetString(), last.GetProperty("operationId").GetString()));
    }

    [Fact]
    public async Task Bad_input_and_other_accounts_are_refused_and_change_nothing()
    {
        var account = await FundedAccountAsync(100);
        var otherAccount = await Api.CreateAccountAsync();
        var otherKey = (await Api.PostAsync("/v1/keys", new { accountId = otherAccount, scopes = new[] { "charge" } })).Json.GetProperty("key").GetString()!;

        Assert.Equal("quote", Field(await PostAsync("/v1/casts", new { operationId = "bad-1", accountId = account })));
        Assert.Equal("kind", Field(await PostAsync("/v1/casts", new { operationId = "bad-2", accountId = account, kind = "teleport" })));
        Assert.Equal("quote", Field(await PostAsync("/v1/casts", new { operationId = "bad-3", accountId = account, quote = 0 })));
        Assert.Equal("bufferPercent", Field(await PostAsync("/v1/casts", new { operationId = "bad-4", accountId = account, quote = 5, bufferPercent = -1 })));
        Assert.Equal("quote", Field(await PostAsync("/v1/casts", new { operationId = "bad-4b", accountId = account, quote = 9_007_199_254_740_991L }))); // past any amount with its buffer
        Assert.Equal("kind", Field(await PostAsync("/v1/casts", new { operationId = "bad-4c", accountId = account, quote = 5, kind = "session" }))); // sessions' usage kind
        Assert.Equal(HttpStatusCode.PaymentRequired, (await PostAsync("/v1/casts", new { operationId = "bad-5", accountId = account, quote = 1_000 })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync("/v1/casts", new { operationId = "bad-6", accountId = "no-such-account", quote = 5 })).Status);

        var forbidden = await Api.PostJsonAsync("/v1/casts", JsonSerializer.Serialize(new { operationId = "bad-7", accountId = account, quote = 5 }), key: otherKey);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        await PostAsync("/v1/casts", new { operationId = "mine-1", accountId = account, quote = 5 });
        var foreign = await Api.PostJsonAsync("/v1/casts/mine-1/complete", JsonSerializer.Serialize(new { operationId = "x", price = 1 }), key: otherKey);
        Assert.Equal(HttpStatusCode.NotFound, foreign.Status);
        Assert.Equal("price", Field(await PostAsync("/v1/casts/mine-1/complete", new { operationId = "x", price = 1, providerCost = 1.5m })));
        Assert.Equal("providerCost", Field(await PostAsync("/v1/casts/mine-1/complete", new { operationId = "x", providerCost = "1.5" })));
        // Numbers a decimal would round: 1e-40 is not 0, so neither is charged as nothing.
        Assert.Equal("providerCost", Field(await Api.PostJsonAsync("/v1/casts/mine-1/complete", """{"operationId":"x","providerCost":1e-40}""")));
        Assert.Equal("price", Field(await Api.PostJsonAsync("/v1/casts/mine-1/complete", """{"operationId":"x","price":1e-40}""")));
        Assert.Equal("providerCost", Field(await Api.PostJsonAsync("/v1/casts/mine-1/complete", """{"operationId":"x","providerCost":1.00000000000000000000000000001}""")));
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync("/v1/casts/none-such/complete", new { operationId = "x", price = 1 })).Status);
        await AssertBalanceAsync(account, available: 94, held: 6);

        var pricing = (await Api.GetAsync("/v1/pricing", key: null)).Json;
        Assert.Equal(2.0m, pricing.GetProperty("markup").GetDecimal());
        Assert.Contains(pricing.GetProperty("kinds").EnumerateArray(), k => k.GetProperty("kind").GetString() == "upscale" && k.GetProperty("credits").GetInt64() == 30);
    }

    [Fact]
    public async Task Usage_is_summed_per_day_and_per_kind_and_exported_as_csv()
    {
        var account = await FundedAccountAsync(1_000);
        await PostAsync("/v1/casts", new { operationId = "use-1", accountId = account, kind = "upscale" });
        await PostAsync("/v1/casts/use-1/complete", new { operationId = "use-1-done", price = 25 });
        await PostAsync("/v1/casts", new { operationId = "use-2", accountId = account, kind = "upscale" });
        await PostAsync("/v1/casts/use-2/complete", new { operationId = "use-2-done", providerCost = 4.2m });
        await PostAsync("/v1/casts", new { operationId = "use-3", accountId = account, kind = "framing" });
        await PostAsync("/v1/casts/use-3/complete", new { operationId = "use-3-done" });
        await PostAsync("/v1/casts", new { operationId = "use-4", accountId = account, kind = "framing" });
        await PostAsync("/v1/casts/use-4/fail", new { operationId = "use-4-failed", reason = "no input" });

        var byKind = await Api.GetAsync($"/v1/accounts/{account}/usage?groupBy=kind");
        Assert.True(byKind.IsSuccess, byKind.ToString());
        var rows = byKind.Json.GetProperty("rows").EnumerateArray()
            .Select(r => (r.GetProperty("key").GetString()!, r.GetProperty("count").GetInt64(), r.GetProperty("charged").GetInt64(), r.GetProperty("needsReview").GetInt64()))
            .ToArray();
        Assert.Equal([("framing", 2L, 0L, 1L), ("upscale", 2L, 34L, 0L)], rows); // 25 + ceil(4.2 x 2) = 34
        Assert.Equal(34, byKind.Json.GetProperty("total").GetProperty("charged").GetInt64());
        Assert.Equal(1_000 - 34, (await Api.GetAsync($"/v1/accounts/{account}")).Json.GetProperty("balance").GetProperty("available").GetInt64());

        var byDay = await Api.GetAsync($"/v1/accounts/{account}/usage");
        var today = Assert.Single(byDay.Json.GetProperty("rows").EnumerateArray());
        Assert.Equal(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), today.GetProperty("key").GetString());
        Assert.Equal(4, today.GetProperty("count").GetInt64());

        var csv = await Api.GetAsync($"/v1/accounts/{account}/usage?groupBy=kind&format=csv");
        Assert.Equal("text/csv", csv.MediaType);
        Assert.Equal(["kind,count,units,charged,needsReview", "\"framing\",2,2,0,1", "\"upscale\",2,2,34,0", "\"total\",4,4,34,1"], csv.Text.TrimEnd('\n').Split('\n'));

        Assert.Equal("groupBy", Field(await Api.GetAsync($"/v1/accounts/{account}/usage?groupBy=month")));
        Assert.Equal("from", Field(await Api.GetAsync($"/v1/accounts/{account}/usage?from=yesterday")));
        Assert.Equal("from", Field(await Api.GetAsync($"/v1/accounts/{account}/usage?from=2026-01-01&to=2025-01-01")));
        Assert.Equal("to", Field(await Api.GetAsync($"/v1/accounts/{account}/usage?to=0001-01-01"))); // no default range before it: 400, not 500
        Assert.Equal("to", Field(await Api.GetAsync($"/v1/accounts/{account}/usage?to=9999-12-31T23:59:59Z")));
        Assert.Equal("from", Field(await Api.GetAsync($"/v1/accounts/{account}/usage?from=0001-01-01")));
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync("/v1/accounts/no-such-account/usage")).Status);
    }

    [Fact]
    public async Task Ids_whose_ledger_ids_would_not_fit_and_costs_past_any_amount_are_refused_before_anything_moves()
    {
        var account = await FundedAccountAsync(1_000);
        var prefix = $"long-{Guid.NewGuid():N}-";

        // 114 characters: its hold would fit, its shortfall id ("cast:<id>:shortfall") would not, so it is never held.
        var tooLong = prefix + new string('x', 114 - prefix.Length);
        Assert.Equal("operationId", Field(await PostAsync("/v1/casts", new { operationId = tooLong, accountId = account, quote = 100 })));
        await AssertBalanceAsync(account, 1_000, 0);

        // 113 characters: the whole lifecycle, a shortfall debit included, fits.
        var longest = prefix + new string('y', 113 - prefix.Length);
        (await PostAsync("/v1/casts", new { operationId = longest, accountId = account, quote = 100 })).Expect(HttpStatusCode.Created);
        var done = await PostAsync($"/v1/casts/{longest}/complete", new { operationId = "longest-done", price = 150 });
        Assert.True(done.IsSuccess, done.ToString());
        Assert.Equal("completed", done.Json.GetProperty("status").GetString());
        await AssertBalanceAsync(account, 850, 0); // 120 captured, 30 debited

        // A provider cost whose marked-up price no ledger amount can carry: refused, the hold untouched.
        var castId = $"huge-{Guid.NewGuid():N}";
        (await PostAsync("/v1/casts", new { operationId = castId, accountId = account, quote = 100 })).Expect(HttpStatusCode.Created);
        Assert.Equal("providerCost", Field(await PostAsync($"/v1/casts/{castId}/complete", new { operationId = "huge-done", providerCost = 9_000_000_000_000_000m })));
        Assert.Equal("running", (await Api.GetAsync($"/v1/casts/{castId}")).Json.GetProperty("status").GetString());
        await AssertBalanceAsync(account, 730, 120);
    }

    [Fact]
    public async Task A_kind_that_begins_like_a_formula_is_exported_as_text()
    {
        var account = await FundedAccountAsync(100);
        var castId = $"formula-{Guid.NewGuid():N}";
        (await PostAsync("/v1/casts", new { operationId = castId, accountId = account, quote = 5, kind = "-A1" })).Expect(HttpStatusCode.Created);
        (await PostAsync($"/v1/casts/{castId}/complete", new { operationId = "formula-done", price = 5 })).Expect(HttpStatusCode.OK);

        var csv = await Api.GetAsync($"/v1/accounts/{account}/usage?groupBy=kind&format=csv");
        Assert.Equal(["kind,count,units,charged,needsReview", "\"'-A1\",1,1,5,0", "\"total\",1,1,5,0"], csv.Text.TrimEnd('\n').Split('\n'));
    }

    private static string? Field(ApiResponse response)
    {
        Assert.True(response.Status == HttpStatusCode.BadRequest, response.ToString());
        return response.Json.GetProperty("errors").EnumerateObject().First().Name;
    }

    private async Task<string> FundedAccountAsync(long credits)
    {
        var account = await Api.CreateAccountAsync();
        await Api.DepositAsync(account, "fund-" + account, credits);
        return account;
    }

    private Task<ApiResponse> PostAsync(string path, object body) => Api.PostAsync(path, body);

    private async Task AssertBalanceAsync(string account, long available, long held)
    {
        var balance = (await Api.GetAsync($"/v1/accounts/{account}")).Json.GetProperty("balance");
        Assert.Equal((available, held), (balance.GetProperty("available").GetInt64(), balance.GetProperty("held").GetInt64()));
    }
}
