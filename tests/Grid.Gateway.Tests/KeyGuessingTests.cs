using System.Diagnostics;
using System.Net;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests;

/// <summary>
/// An address that has had too many wrong account keys looked up gets 429 for its key requests, without a
/// lookup, until its budget refills; wrong guesses at the admin key spend the same budget; the operator's key is not affected.
/// </summary>
public sealed class KeyGuessingTests() : OwnSiloTests(
    "key-guessing-admin-key-0123456789",
    new Dictionary<string, string>
    {
        ["Grid__RateLimits__FailedKeysPerSecond"] = "1",
        ["Grid__RateLimits__FailedKeyBurst"] = "3",
        ["Grid__RateLimits__AnonymousPermitsPerSecond"] = "1000", // only the wrong-key budget is under test
        ["Grid__RateLimits__AnonymousBurst"] = "1000",
    })
{
    [Fact]
    public async Task Wrong_keys_use_up_the_address_s_lookups_and_then_even_a_right_key_waits()
    {
        var operatorApi = Operator;
        await operatorApi.CreateAccountAsync("guessed");
        var issued = await operatorApi.PostAsync("/v1/keys", new { accountId = "guessed", scopes = new[] { "read" } });
        var key = issued.Json.GetProperty("key").GetString()!;
        var keyId = issued.Json.GetProperty("id").GetString()!;
        var right = new LedgerApi(Silo.Http, key);
        var watch = Stopwatch.StartNew(); // from the first lookup, which may be where the address's budget starts
        Assert.Equal(HttpStatusCode.OK, (await right.GetAsync("/v1/accounts/guessed")).Status);

        // The budget (a burst of 3, one back a second) refills on a timer of its own: wrong keys are sent until the
        // right one is held back, and no more may be needed than the burst plus what the time taken earned back.
        var wrong = 0;
        ApiResponse waiting;
        do
        {
            var guess = new LedgerApi(Silo.Http, $"gk_{keyId}_{wrong:D43}");
            Assert.Equal(HttpStatusCode.Unauthorized, (await guess.GetAsync("/v1/accounts/guessed")).Status);
            wrong++;
            waiting = await right.GetAsync("/v1/accounts/guessed");
            if (wrong < 3)
            {
                Assert.Equal(HttpStatusCode.OK, waiting.Status); // the burst is not used up yet
            }
        }
        while (waiting.Status == HttpStatusCode.OK && wrong < 50);

        Assert.Equal(HttpStatusCode.TooManyRequests, waiting.Status);
        Assert.InRange(wrong, 3, 3 + (int)Math.Ceiling(watch.Elapsed.TotalSeconds));
        Assert.Equal("rate_limited", waiting.Code);
        Assert.Equal("1", waiting.Headers["Retry-After"]);
        Assert.Equal(HttpStatusCode.OK, (await operatorApi.GetAsync("/v1/accounts/guessed")).Status);

        await Task.Delay(TimeSpan.FromSeconds(2.5)); // the bucket earns permits back
        Assert.Equal(HttpStatusCode.OK, (await right.GetAsync("/v1/accounts/guessed")).Status);
    }

    [Fact]
    public async Task Guesses_at_the_admin_key_use_up_the_same_budget_on_any_route_while_the_right_key_still_passes()
    {
        await Task.Delay(TimeSpan.FromSeconds(3.5)); // a full bucket, whatever ran before
        var watch = Stopwatch.StartNew();
        var wrong = 0;
        ApiResponse answer;
        do
        {
            answer = await new LedgerApi(Silo.Http, $"not-the-admin-key-{wrong:D4}").GetAsync("/v1/cluster");
            wrong++;
        }
        while (answer.Status == HttpStatusCode.Unauthorized && wrong < 50);

        Assert.Equal((HttpStatusCode.TooManyRequests, "rate_limited"), (answer.Status, answer.Code));
        Assert.InRange(wrong, 4, 4 + (int)Math.Ceiling(watch.Elapsed.TotalSeconds));
        // The dashboard shares the budget: right after a refusal it refuses too. The budget refills a guess a second, so a
        // probe a slow machine sends late may find a fresh token; drained again, the next probe is refused. Fewer probes
        // than the burst of 3: a dashboard with a budget of its own answers 401 to every one of them.
        var dashboardRefused = false;
        for (var probe = 0; probe < 3 && !dashboardRefused; probe++)
        {
            using var dashboard = new HttpRequestMessage(HttpMethod.Get, "/dashboard/snapshot");
            dashboard.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-the-admin-key-either");
            var status = (await Silo.Http.SendAsync(dashboard)).StatusCode;
            Assert.True(status is HttpStatusCode.TooManyRequests or HttpStatusCode.Unauthorized, $"the dashboard answered {status}");
            dashboardRefused = status == HttpStatusCode.TooManyRequests;
            for (var drain = 0; !dashboardRefused && drain < 10; drain++)
            {
                if ((await new LedgerApi(Silo.Http, "not-the-admin-key-drain").GetAsync("/v1/cluster")).Status != HttpStatusCode.Unauthorized)
                {
                    break; // drained again: probe again
                }
            }
        }

        Assert.True(dashboardRefused, "the dashboard took wrong keys past the budget the API routes had used up");
        Assert.Equal(HttpStatusCode.OK, (await Operator.GetAsync("/v1/cluster")).Status);
    }
}
