using System.Net;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests.Sessions;

/// <summary>
/// Payout steps an account refuses for good. Here the configured treasury account is closed, so every treasury share
/// is refused: each is set aside (parked, logged for a person) so the payer's captures, the host's shares and the
/// release of the deposit go on; past a bound of parked steps the rest wait in the session's state, and past a bound
/// of waiting steps the session takes no new usage, so neither grows without end.
/// </summary>
public sealed class SessionPendingStepsTests() : OwnSiloTests("session-pending-admin-key-0123456789", new Dictionary<string, string>
{
    ["Grid__Sessions__TreasuryAccountId"] = "closed-treasury",
    ["Grid__Sessions__MaxPendingSteps"] = "6",
})
{
    [Fact]
    public async Task A_closed_treasury_s_shares_are_set_aside_and_the_payer_s_deposit_is_still_captured_and_released()
    {
        var (user, host, id) = await StartAsync();
        var reported = (await Operator.UsageAsync(id, "u1", 2)).Expect(HttpStatusCode.OK);
        Assert.Equal((0, 2), (reported.GetProperty("pendingLegs").GetInt32(), reported.GetProperty("parkedLegs").GetInt32()));

        var ended = (await Operator.PostAsync($"/v1/sessions/{id}/end", new { operationId = "end" })).Expect(HttpStatusCode.OK);
        Assert.Equal(("ended", 0, 2), (ended.GetProperty("status").GetString(), ended.GetProperty("pendingLegs").GetInt32(), ended.GetProperty("parkedLegs").GetInt32()));
        Assert.Equal((980L, 0L), await Operator.BalanceAsync(user)); // 20 charged, the other 480 of the deposit released
        Assert.Equal((18L, 0L), await Operator.BalanceAsync(host)); // the host's 90%; the treasury's 2 are owed, for a person
    }

    [Fact]
    public async Task The_operator_sees_the_steps_set_aside_and_releases_one_paid_by_hand()
    {
        var (user, _, id) = await StartAsync();
        (await Operator.UsageAsync(id, "u1", 2)).Expect(HttpStatusCode.OK);
        (await Operator.PostAsync($"/v1/sessions/{id}/end", new { operationId = "end" })).Expect(HttpStatusCode.OK);

        var parked = (await Operator.GetAsync($"/v1/sessions/{id}/parked")).Expect(HttpStatusCode.OK);
        Assert.Equal(id, parked.GetProperty("sessionId").GetString());
        var steps = parked.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(
            [($"session:{id}:cp:1:treasury", "treasury", "closed-treasury", 1L), ($"session:{id}:cp:2:treasury", "treasury", "closed-treasury", 1L)],
            steps.Select(s => (s.GetProperty("operationId").GetString(), s.GetProperty("kind").GetString(), s.GetProperty("accountId").GetString(), s.GetProperty("amount").GetInt64())));

        // The operator's alone: the payer's own admin key neither sees nor releases them.
        var issued = (await Operator.PostAsync("/v1/keys", new { accountId = user, scopes = new[] { "admin" } })).Expect(HttpStatusCode.Created);
        var key = issued.GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.Forbidden, (await Operator.GetAsync($"/v1/sessions/{id}/parked", key: key)).Status);
        var byPayer = await Operator.PostJsonAsync($"/v1/sessions/{id}/parked/release", $$"""{"operationId":"session:{{id}}:cp:1:treasury"}""", key: key);
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (byPayer.Status, byPayer.Code));

        // Bad input and an unknown step change nothing.
        var bad = await Operator.PostAsync("/v1/sessions/has%20space/parked/release", new { operationId = 7 });
        Assert.Equal((HttpStatusCode.BadRequest, "validation_failed"), (bad.Status, bad.Code));
        Assert.True(bad.Json.GetProperty("errors").TryGetProperty("id", out _) && bad.Json.GetProperty("errors").TryGetProperty("operationId", out _), bad.ToString());
        var unknown = await Operator.PostAsync($"/v1/sessions/{id}/parked/release", new { operationId = $"session:{id}:cp:3:treasury" });
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (unknown.Status, unknown.Code));
        var noSession = await Operator.GetAsync("/v1/sessions/no-such-session/parked");
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (noSession.Status, noSession.Code));

        // A person pays the first share by hand and releases it: one is left, for the session and for the operator.
        var released = (await Operator.PostAsync($"/v1/sessions/{id}/parked/release", new { operationId = $"session:{id}:cp:1:treasury" })).Expect(HttpStatusCode.OK);
        Assert.Equal([$"session:{id}:cp:2:treasury"], released.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("operationId").GetString()));
        var again = await Operator.PostAsync($"/v1/sessions/{id}/parked/release", new { operationId = $"session:{id}:cp:1:treasury" });
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (again.Status, again.Code));
        Assert.Equal(1, (await Operator.GetAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.OK).GetProperty("parkedLegs").GetInt32());
    }

    [Fact]
    public async Task Usage_is_refused_as_unavailable_while_too_many_payout_steps_wait_and_nothing_changes()
    {
        var (_, host, id) = await StartAsync();

        // Six checkpoints: their treasury shares fill the parked steps' bound (6).
        (await Operator.UsageAsync(id, "u1", 3)).Expect(HttpStatusCode.OK);
        var parked = (await Operator.UsageAsync(id, "u2", 3)).Expect(HttpStatusCode.OK);
        Assert.Equal((0, 6), (parked.GetProperty("pendingLegs").GetInt32(), parked.GetProperty("parkedLegs").GetInt32()));

        // The seventh treasury share has nowhere to go: it and everything after it wait.
        var waiting = (await Operator.UsageAsync(id, "u3", 3)).Expect(HttpStatusCode.OK);
        Assert.Equal((9L, 7, 6), (waiting.GetProperty("units").GetInt64(), waiting.GetProperty("pendingLegs").GetInt32(), waiting.GetProperty("parkedLegs").GetInt32()));

        var refused = await Operator.UsageAsync(id, "u4", 3);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "unavailable"), (refused.Status, refused.Code));
        var after = (await Operator.GetAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal((9L, 7), (after.GetProperty("units").GetInt64(), after.GetProperty("pendingLegs").GetInt32()));
        Assert.Equal((63L, 0L), await Operator.BalanceAsync(host)); // seven checkpoints' host shares, and nothing since
    }

    /// <summary>A payer with 1,000, a host, the closed treasury, and a session of 10 credits a unit, a checkpoint every unit.</summary>
    private async Task<(string User, string Host, string SessionId)> StartAsync()
    {
        var created = await Operator.PostAsync("/v1/accounts", new { id = "closed-treasury" });
        if (created.Status == HttpStatusCode.Created)
        {
            (await Operator.PostAsync("/v1/accounts/closed-treasury/close", new { operationId = "close" })).Expect(HttpStatusCode.OK);
        }

        var user = await Operator.CreateAccountAsync();
        var host = await Operator.CreateAccountAsync();
        await Operator.DepositAsync(user, "money-in", 1_000);
        var id = $"s-{Guid.NewGuid():N}";
        (await Operator.StartAsync(new { operationId = id, accountId = user, hostAccountId = host, deposit = 500, pricePerUnit = 10, checkpointUnits = 1 }))
            .Expect(HttpStatusCode.Created);
        return (user, host, id);
    }
}
