using System.Net;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests.Sessions;

/// <summary>
/// Payout steps the ledger keeps refusing wait in the session's state; past a bound the session takes no new usage, so
/// neither the waiting steps nor the state that carries them grow without end. Here the treasury account is closed,
/// so every treasury share waits, and the bound is small.
/// </summary>
public sealed class SessionPendingStepsTests() : OwnSiloTests("session-pending-admin-key-0123456789", new Dictionary<string, string>
{
    ["Grid__Sessions__TreasuryAccountId"] = "closed-treasury",
    ["Grid__Sessions__MaxPendingSteps"] = "6",
})
{
    [Fact]
    public async Task Usage_is_refused_as_unavailable_while_too_many_payout_steps_wait_and_nothing_changes()
    {
        (await Operator.PostAsync("/v1/accounts", new { id = "closed-treasury" })).Expect(HttpStatusCode.Created);
        (await Operator.PostAsync("/v1/accounts/closed-treasury/close", new { operationId = "close" })).Expect(HttpStatusCode.OK);
        var user = await Operator.CreateAccountAsync();
        var host = await Operator.CreateAccountAsync();
        await Operator.DepositAsync(user, "money-in", 1_000);
        var id = $"s-{Guid.NewGuid():N}";
        (await Operator.StartAsync(new { operationId = id, accountId = user, hostAccountId = host, deposit = 500, pricePerUnit = 10, checkpointUnits = 1 }))
            .Expect(HttpStatusCode.Created);

        // Three checkpoints: the first's treasury share is refused (its account is closed), and everything after it waits.
        var waiting = (await Operator.UsageAsync(id, "u1", 3)).Expect(HttpStatusCode.OK);
        Assert.Equal((3L, 7), (waiting.GetProperty("units").GetInt64(), waiting.GetProperty("pendingLegs").GetInt32()));

        var refused = await Operator.UsageAsync(id, "u2", 3);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "unavailable"), (refused.Status, refused.Code));
        var after = (await Operator.GetAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal((3L, 7), (after.GetProperty("units").GetInt64(), after.GetProperty("pendingLegs").GetInt32()));
        Assert.Equal((9L, 0L), await Operator.BalanceAsync(host)); // the first checkpoint's host share, and nothing since
    }
}
