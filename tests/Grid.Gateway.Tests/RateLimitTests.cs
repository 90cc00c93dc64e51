using System.Diagnostics;
using System.Globalization;
using System.Net;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests;

/// <summary>
/// Rate limits on a silo configured with tiny buckets: per key, per address for callers without a valid
/// credential, never for the operator; a refusal is 429 rate_limited with Retry-After and writes nothing.
/// </summary>
public sealed class RateLimitTests() : OwnSiloTests(
    "rate-limit-test-admin-key-0123456789",
    new Dictionary<string, string>
    {
        // One permit a second after the burst: the tests spend whole bursts faster than that.
        ["Grid__RateLimits__PermitsPerSecond"] = "1",
        ["Grid__RateLimits__Burst"] = Burst.ToString(CultureInfo.InvariantCulture),
        ["Grid__RateLimits__AnonymousPermitsPerSecond"] = "1",
        ["Grid__RateLimits__AnonymousBurst"] = "2",
        ["Grid__RateLimits__WebhookPermitsPerSecond"] = "1",
        ["Grid__RateLimits__WebhookBurst"] = "20",
        ["Grid__Auth__TokenSecret"] = "rate-limit-test-token-secret-0123456789",
        ["Grid__RateLimits__EndUserPermitsPerSecond"] = "1",
        ["Grid__RateLimits__EndUserBurst"] = EndUserBurst.ToString(CultureInfo.InvariantCulture),
        ["Grid__RateLimits__EndUserAddressPermitsPerSecond"] = "1",
        ["Grid__RateLimits__EndUserAddressBurst"] = EndUserAddressBurst.ToString(CultureInfo.InvariantCulture),
    })
{
    private const int Burst = 3;
    private const int EndUserBurst = 10;
    private const int EndUserAddressBurst = 12;

    [Fact]
    public async Task Guest_tokens_have_a_small_budget_each_and_share_one_per_address()
    {
        // Tokens cost their holders nothing (a wallet sign-in opens an account of its own): each gets an end user's budget,
        // not a key's, and all of them from one address share another, so many fresh tokens do not multiply it.
        var tokens = new List<LedgerApi>();
        foreach (var account in new[] { "end-user-1", "end-user-2" })
        {
            await Operator.CreateAccountAsync(account);
            var issued = await Operator.PostAsync($"/v1/accounts/{account}/tokens", new { scopes = new[] { "read" } });
            Assert.True(issued.Status == HttpStatusCode.Created, issued.ToString());
            tokens.Add(new LedgerApi(Silo.Http, issued.Json.GetProperty("token").GetString()));
        }

        var watch = Stopwatch.StartNew();
        var passed = new int[2];
        for (var i = 0; i < tokens.Count; i++)
        {
            // Each token reads its account until it is refused.
            while (passed[i] < 40 && (await tokens[i].GetAsync($"/v1/accounts/end-user-{i + 1}")).Status == HttpStatusCode.OK)
            {
                passed[i]++;
            }
        }

        var earned = (int)Math.Ceiling(watch.Elapsed.TotalSeconds);
        Assert.InRange(passed[0], EndUserBurst, EndUserBurst + earned);
        Assert.InRange(passed[0] + passed[1], EndUserAddressBurst, EndUserAddressBurst + earned); // two buckets of 10 alone would pass 20
        Assert.True(passed[1] < EndUserBurst, $"the second token passed {passed[1]}, its own burst, past the address's");

        // A key of the same account, and the operator, are not held back by its tokens' budgets.
        Assert.Equal(HttpStatusCode.OK, (await new LedgerApi(Silo.Http, await KeyAsync("end-user-1")).GetAsync("/v1/accounts/end-user-1")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Operator.GetAsync("/v1/accounts/end-user-1")).Status);
    }

    [Fact]
    public async Task Each_key_has_its_own_bucket_and_a_refusal_writes_nothing()
    {
        await Operator.CreateAccountAsync("limited");
        await Operator.DepositAsync("limited", "fund", 1_000);
        var first = new LedgerApi(Silo.Http, await KeyAsync("limited"));
        var second = new LedgerApi(Silo.Http, await KeyAsync("limited"));

        // The bucket earns a permit back each second on a timer of its own: debits are sent until three are
        // refused, and no more may pass than the burst plus what the time taken earned back.
        var watch = Stopwatch.StartNew();
        var answers = new List<ApiResponse>();
        while (answers.Count(a => a.Status == HttpStatusCode.TooManyRequests) < 3 && answers.Count < 50)
        {
            answers.Add(await first.PostAsync("/v1/accounts/limited/debits", new { operationId = $"limited-{answers.Count}", amount = 1 }));
        }

        var refused = answers.Where(a => a.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(3, refused.Count);
        Assert.All(answers, a => Assert.Contains(a.Status, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.All(answers.Take(Burst), a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.InRange(answers.Count - refused.Count, Burst, Burst + (int)Math.Ceiling(watch.Elapsed.TotalSeconds));
        var limited = refused[0];
        Assert.Equal("rate_limited", limited.Code);
        Assert.True(int.Parse(limited.Headers["Retry-After"], CultureInfo.InvariantCulture) >= 1);
        Assert.True(limited.Json.GetProperty("retryAfter").GetInt64() >= 1);

        var journal = await Operator.JournalAsync("limited");
        Assert.Equal(answers.Count(a => a.Status == HttpStatusCode.OK), journal.Count(e => e.GetProperty("kind").GetString() == "debit"));

        // Another key of the same account, and the operator, are not held back by the first key's bucket.
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/v1/accounts/limited")).Status);
        for (var i = 0; i < Burst * 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Operator.GetAsync("/v1/accounts/limited")).Status);
        }
    }

    [Fact]
    public async Task A_credential_on_a_route_open_to_anyone_is_not_held_to_its_address_anonymous_budget()
    {
        // A payment's status is open to anyone; a server polling it with a credential is that credential, not its address.
        var unknownPayment = "/v1/payments/" + Grid.Contracts.Payments.PaymentIds.For("polled", "by-the-operator");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            statuses.Add((await Operator.GetAsync(unknownPayment)).Status);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.NotFound, s));
        var anonymous = new LedgerApi(Silo.Http, null);
        var anonymousStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            anonymousStatuses.Add((await anonymous.GetAsync(unknownPayment, key: null)).Status);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, anonymousStatuses);
        await GiveTheAddressItsBurstBackAsync();
    }

    [Fact]
    public async Task Scrapes_and_readiness_probes_have_a_bounded_budget_and_liveness_stays_open()
    {
        var anonymous = new LedgerApi(Silo.Http, null);
        // Routing ignores case, so must the budget; the OpenAPI document is generated anew for each request.
        foreach (var path in new[] { "/metrics", "/health/ready", "/METRICS", "/Health/Ready", "/openapi/v1.json" })
        {
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 10; i++)
            {
                statuses.Add((await anonymous.GetAsync(path, key: null)).Status);
            }

            Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        }

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live", key: null)).Status);
        }
    }

    /// <summary>Every test here calls from the same address: one that spent its anonymous burst waits for it to come back (a permit a second).</summary>
    private static Task GiveTheAddressItsBurstBackAsync() => Task.Delay(TimeSpan.FromSeconds(3));

    [Fact]
    public async Task Guessing_keys_is_limited_per_address()
    {
        // Two wrong keys fit the address's burst; guesses go on until one is refused unread (a permit comes back each second).
        var watch = Stopwatch.StartNew();
        var statuses = new List<HttpStatusCode>();
        while (!statuses.Contains(HttpStatusCode.TooManyRequests) && statuses.Count < 50)
        {
            var guess = new LedgerApi(Silo.Http, $"gk_guessedkeyid_{statuses.Count:D43}");
            statuses.Add((await guess.GetAsync("/v1/accounts/limited")).Status);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], statuses.Take(2));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.All(statuses.SkipLast(1), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.InRange(statuses.Count - 1, 2, 2 + (int)Math.Ceiling(watch.Elapsed.TotalSeconds));
    }

    [Fact]
    public async Task Webhook_deliveries_have_a_budget_of_their_own_apart_from_anonymous_callers()
    {
        // Stripe sends from a few addresses, faster than any anonymous budget; the route's own budget still bounds a flood.
        var anonymous = new LedgerApi(Silo.Http, null);
        var answers = new List<ApiResponse>();
        for (var i = 0; i < 10; i++)
        {
            answers.Add(await anonymous.PostJsonAsync("/v1/webhooks/stripe", "{}", key: null));
        }

        Assert.All(answers, a => Assert.True(a.Status is not HttpStatusCode.TooManyRequests && a.Code is not null, a.ToString()));
        var flood = new List<HttpStatusCode>();
        while (!flood.Contains(HttpStatusCode.TooManyRequests) && flood.Count < 100)
        {
            flood.Add((await anonymous.PostJsonAsync("/v1/webhooks/stripe", "{}", key: null)).Status);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, flood);

        // The same address on another anonymous route still meets its budget.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            statuses.Add((await anonymous.GetAsync("/v1/accounts/limited")).Status);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    private async Task<string> KeyAsync(string accountId)
    {
        var issued = await Operator.PostAsync("/v1/keys", new { accountId, scopes = new[] { "charge" } });
        Assert.True(issued.Status == HttpStatusCode.Created, issued.ToString());
        return issued.Json.GetProperty("key").GetString()!;
    }
}
