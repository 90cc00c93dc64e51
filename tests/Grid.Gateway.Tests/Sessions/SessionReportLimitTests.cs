using System.Net;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests.Sessions;

/// <summary>
/// A session keeps every report's id for its life (a retry never counts twice) but only the latest answers in full,
/// and takes a bounded number of reports, so its state cannot grow without end. Small limits make both visible.
/// </summary>
public sealed class SessionReportLimitTests() : OwnSiloTests("session-limit-admin-key-0123456789", new Dictionary<string, string>
{
    ["Grid__Sessions__MaxReports"] = "5",
    ["Grid__Sessions__KeptAnswers"] = "2",
})
{
    [Fact]
    public async Task Old_replays_count_nothing_twice_and_a_report_past_the_limit_is_refused_without_a_change()
    {
        var user = await Operator.CreateAccountAsync();
        var host = await Operator.CreateAccountAsync();
        await Operator.DepositAsync(user, "money-in", 1_000);
        var id = $"s-{Guid.NewGuid():N}";
        (await Operator.StartAsync(new { operationId = id, accountId = user, hostAccountId = host, deposit = 500, pricePerUnit = 1, checkpointUnits = 10 }))
            .Expect(HttpStatusCode.Created);

        var answers = new List<System.Text.Json.JsonElement>();
        for (var i = 1; i <= 5; i++)
        {
            answers.Add((await Operator.UsageAsync(id, $"u{i}", 3)).Expect(HttpStatusCode.OK));
        }

        Assert.Equal(15, answers[^1].GetProperty("units").GetInt64());
        Assert.Equal(1, answers[^1].GetProperty("checkpoints").GetInt32());

        // The sixth report is one too many: refused, named, and the session is as it was.
        var refused = await Operator.UsageAsync(id, "u6", 3);
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal("too_many_reports", refused.Code);
        var session = (await Operator.GetAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal(15, session.GetProperty("units").GetInt64());

        // A recent report replays its own answer; an old one answers with the session as it stands; neither counts again.
        var recentReplay = (await Operator.UsageAsync(id, "u4", 3)).Expect(HttpStatusCode.OK);
        Assert.Equal(answers[3].GetProperty("units").GetInt64(), recentReplay.GetProperty("units").GetInt64());
        Assert.Equal(12, recentReplay.GetProperty("units").GetInt64());
        var oldReplay = (await Operator.UsageAsync(id, "u1", 3)).Expect(HttpStatusCode.OK);
        Assert.Equal(15, oldReplay.GetProperty("units").GetInt64());
        Assert.Equal("idempotency_conflict", (await Operator.UsageAsync(id, "u1", 4)).Code);

        // The end settles exactly the 15 units reported.
        var ended = (await Operator.EndAsync(id, "end")).Expect(HttpStatusCode.OK);
        Assert.Equal(15, ended.GetProperty("charged").GetInt64());
        Assert.Equal(485, ended.GetProperty("released").GetInt64());
        Assert.Equal((985, 0), await Operator.BalanceAsync(user));
    }
}
