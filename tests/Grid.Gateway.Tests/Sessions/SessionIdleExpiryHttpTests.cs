using System.Net;
using Grid.Gateway.Tests.Support;
using Grid.TestKit;

namespace Grid.Gateway.Tests.Sessions;

/// <summary>
/// Over HTTP on the built silo, with an idle timeout of ten seconds: a session whose server stops reporting ends by
/// itself as <c>expired</c>, charging the units reported and releasing the rest of the deposit, and the server that comes
/// back is told so. (The exact timing, restarts and old sessions are the grain tests' business, on a clock moved by hand.)
/// </summary>
public sealed class SessionIdleExpiryHttpTests() : OwnSiloTests("session-idle-admin-key-0123456789", new Dictionary<string, string>
{
    ["Grid__Sessions__IdleTimeout"] = "00:00:10",
})
{
    [Fact]
    public async Task A_session_whose_server_stops_reporting_expires_and_releases_the_rest_of_the_deposit()
    {
        var user = await Operator.CreateAccountAsync();
        var host = await Operator.CreateAccountAsync();
        await Operator.DepositAsync(user, "money-in", 5_000);
        var id = $"s-{Guid.NewGuid():N}";
        var started = (await Operator.StartAsync(new { operationId = id, accountId = user, hostAccountId = host, deposit = 2_000, pricePerUnit = 0.8m, checkpointUnits = 1_000 }))
            .Expect(HttpStatusCode.Created);
        Assert.True(started.GetProperty("idleExpiresAt").GetDateTimeOffset() > started.GetProperty("createdAt").GetDateTimeOffset());

        var reported = (await Operator.UsageAsync(id, "u1", 1_510)).Expect(HttpStatusCode.OK);
        var expiresAt = reported.GetProperty("idleExpiresAt").GetDateTimeOffset();
        Assert.Equal(800, reported.GetProperty("charged").GetInt64());

        await Eventually.TrueAsync(
            async () => (await Operator.GetAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.OK).GetProperty("status").GetString() == "expired",
            "the session expired");
        var expired = (await Operator.GetAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.OK);
        Assert.True(expired.GetProperty("closedAt").GetDateTimeOffset() >= expiresAt, expired.ToString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, expired.GetProperty("idleExpiresAt").ValueKind);
        Assert.Equal((1_208L, 1_087L, 121L, 792L), (
            expired.GetProperty("charged").GetInt64(), expired.GetProperty("hostEarnings").GetInt64(),
            expired.GetProperty("treasuryEarnings").GetInt64(), expired.GetProperty("released").GetInt64()));
        var entries = await Operator.EntriesAsync(user);
        Assert.Equal(
            [
                ("money-in", "deposit", 5_000L, 0L),
                ($"session:{id}:hold", "hold", 2_000L, 0L),
                ($"session:{id}:cp:1:capture", "capture", 800L, 0L),
                ($"session:{id}:end:capture", "capture", 408L, 792L),
            ],
            entries);
        Assert.Equal((3_792L, 0L), await Operator.BalanceAsync(user));
        Assert.Equal([($"session:{id}:cp:1:host", "deposit", 720L, 0L), ($"session:{id}:end:host", "deposit", 367L, 0L)], await Operator.EntriesAsync(host));

        // The server comes back: usage is refused and moves nothing; its end answers how the session closed.
        var late = await Operator.UsageAsync(id, "u2", 5);
        Assert.Equal((HttpStatusCode.Conflict, "invalid_state"), (late.Status, late.Code));
        Assert.Equal("expired", (await Operator.EndAsync(id, "end")).Expect(HttpStatusCode.OK).GetProperty("status").GetString());
        Assert.Equal(entries, await Operator.EntriesAsync(user));

        var usage = (await Operator.GetAsync($"/v1/accounts/{user}/usage?groupBy=kind")).Expect(HttpStatusCode.OK);
        var row = Assert.Single(usage.GetProperty("rows").EnumerateArray());
        Assert.Equal(("session", 1_510L, 1_208L), (row.GetProperty("key").GetString(), row.GetProperty("units").GetInt64(), row.GetProperty("charged").GetInt64()));
    }
}
