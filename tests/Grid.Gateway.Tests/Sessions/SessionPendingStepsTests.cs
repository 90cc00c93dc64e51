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
