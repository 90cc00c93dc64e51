using System.Net;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests.Sessions;

/// <summary>
/// A metered session over HTTP on the built silo: checkpoints every N units that capture their cost from the
/// deposit's hold and pay the host 90% and the treasury the rest, an end that captures the rest and releases the
/// deposit's remainder, replays, bad input and who may do what.
/// </summary>
public sealed class MeteredSessionTests(LedgerSiloFixture fixture) : IClassFixture<LedgerSiloFixture>
{
    private const string Treasury = "treasury";

    private LedgerApi Api => fixture.Api;

    [Fact]
    public async Task A_session_pays_host_and_treasury_at_each_checkpoint_and_releases_the_rest_of_the_deposit()
    {
        var user = await Api.CreateAccountAsync();
        var host = await Api.CreateAccountAsync();
        await Api.DepositAsync(user, "money-in", 5_000);
        var treasuryBefore = (await Api.EntriesAsync(Treasury)).Count == 0 ? 0 : (await Api.BalanceAsync(Treasury)).Available;
        var id = $"s-{Guid.NewGuid():N}";

        var started = (await Api.StartAsync(new { operationId = id, accountId = user, hostAccountId = host, deposit = 2_000, pricePerUnit = 0.8m, checkpointUnits = 1_000 }))
            .Expect(HttpStatusCode.Created);
        Assert.Equal("open", started.GetProperty("status").GetString());
        Assert.Equal((3_000, 2_000), await Api.BalanceAsync(user));

        // 2,450 units in uneven chunks: the totals 950, 1,350 and 2,200 cross the checkpoints at 1,000 and 2,000.
        long[] chunks = [300, 650, 400, 333, 517, 250];
        var answers = new List<System.Text.Json.JsonElement>();
        for (var i = 0; i < chunks.Length; i++)
        {
            answers.Add((await Api.UsageAsync(id, $"u{i}", chunks[i])).Expect(HttpStatusCode.OK));
        }

        Assert.Equal(0, answers[1].GetProperty("checkpoints").GetInt32());
        Assert.Equal(1, answers[2].GetProperty("checkpoints").GetInt32());
        Assert.Equal(800, answers[2].GetProperty("charged").GetInt64()); // ceil(1,000 x 0.8)
        Assert.Equal(2, answers[4].GetProperty("checkpoints").GetInt32());
        Assert.Equal(1_600, answers[4].GetProperty("charged").GetInt64());
        var open = answers[^1];
        Assert.Equal(2_450, open.GetProperty("units").GetInt64());
        Assert.Equal(2_000, open.GetProperty("billedUnits").GetInt64());
        Assert.Equal(0, open.GetProperty("pendingLegs").GetInt32());
        Assert.Equal((3_000, 400), await Api.BalanceAsync(user)); // 1,600 of the hold captured

        var ended = (await Api.EndAsync(id, "end-1")).Expect(HttpStatusCode.OK);
        Assert.Equal("ended", ended.GetProperty("status").GetString());
        Assert.Equal(1_960, ended.GetProperty("charged").GetInt64()); // ceil(2,450 x 0.8)
        Assert.Equal(1_764, ended.GetProperty("hostEarnings").GetInt64()); // 720 + 720 + 324
        Assert.Equal(196, ended.GetProperty("treasuryEarnings").GetInt64()); // 80 + 80 + 36
        Assert.Equal(40, ended.GetProperty("released").GetInt64());
        Assert.Equal(0, ended.GetProperty("pendingLegs").GetInt32());

        Assert.Equal(
            [
                ("money-in", "deposit", 5_000L, 0L),
                ($"session:{id}:hold", "hold", 2_000L, 0L),
                ($"session:{id}:cp:1:capture", "capture", 800L, 0L),
                ($"session:{id}:cp:2:capture", "capture", 800L, 0L),
                ($"session:{id}:end:capture", "capture", 360L, 40L),
            ],
            await Api.EntriesAsync(user));
        Assert.Equal(
            [
                ($"session:{id}:cp:1:host", "deposit", 720L, 0L),
                ($"session:{id}:cp:2:host", "deposit", 720L, 0L),
                ($"session:{id}:end:host", "deposit", 324L, 0L),
            ],
            await Api.EntriesAsync(host));
        var treasuryEntries = (await Api.EntriesAsync(Treasury)).Where(e => e.OperationId.StartsWith($"session:{id}:", StringComparison.Ordinal)).ToArray();
        Assert.Equal(
            [
                ($"session:{id}:cp:1:treasury", "deposit", 80L, 0L),
                ($"session:{id}:cp:2:treasury", "deposit", 80L, 0L),
                ($"session:{id}:end:treasury", "deposit", 36L, 0L),
            ],
            treasuryEntries);

        var userBalance = await Api.BalanceAsync(user);
        var hostBalance = await Api.BalanceAsync(host);
        var treasuryGain = (await Api.BalanceAsync(Treasury)).Available - treasuryBefore;
        Assert.Equal((3_040, 0), userBalance);
        Assert.Equal((1_764, 0), hostBalance);
        Assert.Equal(196, treasuryGain);
        Assert.Equal(5_000, userBalance.Available + hostBalance.Available + treasuryGain); // nothing made, nothing lost

        // A closed session takes no more usage, and ending it again answers the same.
        Assert.Equal("invalid_state", (await Api.UsageAsync(id, "late", 1)).Code);
        Assert.Equal(ended.GetProperty("released").GetInt64(), (await Api.EndAsync(id, "end-2")).Expect(HttpStatusCode.OK).GetProperty("released").GetInt64());
        Assert.Equal("ended", (await Api.GetAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.OK).GetProperty("status").GetString());

        // The paid-out session is in the account's usage: its units and what it was charged.
        var usage = (await Api.GetAsync($"/v1/accounts/{user}/usage?groupBy=kind")).Expect(HttpStatusCode.OK);
        var row = Assert.Single(usage.GetProperty("rows").EnumerateArray());
        Assert.Equal(("session", 2_450L, 1_960L), (row.GetProperty("key").GetString(), row.GetProperty("units").GetInt64(), row.GetProperty("charged").GetInt64()));
    }

    [Theory]
    [InlineData(200L)] // the checkpoints take the whole deposit; the end closes a hold with nothing left
    [InlineData(250L)] // beyond the deposit: exhausted after the checkpoints took all of it
    public async Task Checkpoints_that_take_the_whole_deposit_leave_nothing_pending(long units)
    {
        var user = await Api.CreateAccountAsync();
        var host = await Api.CreateAccountAsync();
        await Api.DepositAsync(user, "fund-" + user, 500);
        var id = "whole-" + Guid.NewGuid().ToString("N")[..12];
        (await Api.StartAsync(new { operationId = id, accountId = user, hostAccountId = host, deposit = 200, pricePerUnit = 1, checkpointUnits = 100 }))
            .Expect(HttpStatusCode.Created);
        await Api.UsageAsync(id, "u1", units);
        var ended = (await Api.EndAsync(id, "end")).Expect(HttpStatusCode.OK);

        Assert.Equal(0, ended.GetProperty("pendingLegs").GetInt32());
        Assert.Equal(200, ended.GetProperty("charged").GetInt64());
        Assert.Equal((300, 0), await Api.BalanceAsync(user));
        Assert.Equal((180, 0), await Api.BalanceAsync(host));
    }

    [Fact]
    public async Task Checkpoints_round_up_the_running_total_so_they_add_up_to_the_total_exactly()
    {
        var user = await Api.CreateAccountAsync();
        var host = await Api.CreateAccountAsync();
        await Api.DepositAsync(user, "money-in", 1_000);
        var id = $"s-{Guid.NewGuid():N}";
        (await Api.StartAsync(new { operationId = id, accountId = user, hostAccountId = host, deposit = 1_000, pricePerUnit = 0.333m, checkpointUnits = 7 }))
            .Expect(HttpStatusCode.Created);

        for (var i = 0; i < 10; i++)
        {
            (await Api.UsageAsync(id, $"u{i}", 5)).Expect(HttpStatusCode.OK);
        }

        var ended = (await Api.EndAsync(id, "end")).Expect(HttpStatusCode.OK);

        // 50 units x 0.333 = 16.65 -> 17 credits, whatever the checkpoints (7 of them, at 7, 14, ... 49 units).
        Assert.Equal(7, ended.GetProperty("checkpoints").GetInt32());
        Assert.Equal(17, ended.GetProperty("charged").GetInt64());
        var captures = (await Api.EntriesAsync(user)).Where(e => e.Kind == "capture").ToArray();
        Assert.Equal(8, captures.Length);
        Assert.Equal(17, captures.Sum(c => c.Amount));
        var hostPaid = (await Api.EntriesAsync(host)).Sum(e => e.Amount);
        Assert.Equal(ended.GetProperty("hostEarnings").GetInt64(), hostPaid);
        Assert.Equal(15, hostPaid); // floor(17 x 90%), rounded once on the total, not per checkpoint (that gave 10)
        Assert.Equal(17, hostPaid + ended.GetProperty("treasuryEarnings").GetInt64());
        Assert.Equal((983, 0), await Api.BalanceAsync(user));
    }

    [Fact]
    public async Task A_price_a_hair_above_a_whole_total_charges_the_next_credit()
    {
        var user = await Api.CreateAccountAsync();
        var host = await Api.CreateAccountAsync();
        await Api.DepositAsync(user, "money-in", 1_000);
        var id = $"s-{Guid.NewGuid():N}";
        (await Api.PostJsonAsync("/v1/sessions", $$"""{"operationId":"{{id}}","accountId":"{{user}}","hostAccountId":"{{host}}","deposit":1000,"pricePerUnit":6.2500000000000000000000000001}"""))
            .Expect(HttpStatusCode.Created);
        (await Api.UsageAsync(id, "u", 16)).Expect(HttpStatusCode.OK);

        // 16 x 6.2500000000000000000000000001 = 100.0000000000000000000000000016: 101 credits (decimal's own product is 100).
        Assert.Equal(101, (await Api.EndAsync(id, "end")).Expect(HttpStatusCode.OK).GetProperty("charged").GetInt64());
        Assert.Equal((899, 0), await Api.BalanceAsync(user));
    }

    [Fact]
    public async Task The_hosts_share_of_one_credit_checkpoints_is_its_percent_of_the_total()
    {
        var user = await Api.CreateAccountAsync();
        var host = await Api.CreateAccountAsync();
        await Api.DepositAsync(user, "fund-" + user, 100);
        var id = $"s-{Guid.NewGuid():N}";
        (await Api.StartAsync(new { operationId = id, accountId = user, hostAccountId = host, deposit = 100, pricePerUnit = 1, checkpointUnits = 1 }))
            .Expect(HttpStatusCode.Created);

        (await Api.UsageAsync(id, "u1", 99)).Expect(HttpStatusCode.OK);
        var reported = (await Api.UsageAsync(id, "u2", 1)).Expect(HttpStatusCode.OK);
        var ended = (await Api.EndAsync(id, "end")).Expect(HttpStatusCode.OK);

        Assert.Equal(100, reported.GetProperty("checkpoints").GetInt32());
        Assert.Equal((100L, 90L, 10L), (ended.GetProperty("charged").GetInt64(), ended.GetProperty("hostEarnings").GetInt64(), ended.GetProperty("treasuryEarnings").GetInt64()));
        Assert.Equal((90, 0), await Api.BalanceAsync(host));
        Assert.Equal((0, 0), await Api.BalanceAsync(user));
    }

    [Fact]
    public async Task Usage_beyond_the_deposit_takes_the_whole_hold_and_exhausts_the_session()
    {
        var user = await Api.CreateAccountAsync();
        var host = await Api.CreateAccountAsync();
        await Api.DepositAsync(user, "money-in", 500);
        var id = $"s-{Guid.NewGuid():N}";
        (await Api.StartAsync(new { operationId = id, accountId = user, hostAccountId = host, deposit = 100, pricePerUnit = 1, checkpointUnits = 60 }))
            .Expect(HttpStatusCode.Created);

        var exhausted = (await Api.UsageAsync(id, "u1", 150)).Expect(HttpStatusCode.OK);

        Assert.Equal("exhausted", exhausted.GetProperty("status").GetString());
        Assert.Equal(100, exhausted.GetProperty("charged").GetInt64());
        Assert.Equal(0, exhausted.GetProperty("released").GetInt64());
        Assert.Equal(90, exhausted.GetProperty("hostEarnings").GetInt64());
        Assert.Equal((400, 0), await Api.BalanceAsync(user));
        Assert.Equal((90, 0), await Api.BalanceAsync(host));
        Assert.Equal("invalid_state", (await Api.UsageAsync(id, "u2", 1)).Code);
    }

    [Fact]
    public async Task A_usage_report_sent_again_answers_the_same_and_counts_once_and_other_units_under_its_id_conflict()
    {
        var (user, host, id) = await StartedAsync();

        var first = await Api.UsageAsync(id, "report-1", 1_200);
        var again = await Api.UsageAsync(id, "report-1", 1_200);
        var otherBody = await Api.UsageAsync(id, "report-1", 1_300);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(first.Text, again.Text);
        Assert.Equal(HttpStatusCode.Conflict, otherBody.Status);
        Assert.Equal("idempotency_conflict", otherBody.Code);
        var session = (await Api.GetAsync($"/v1/sessions/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal(1_200, session.GetProperty("units").GetInt64());
        Assert.Single((await Api.EntriesAsync(host)));
        Assert.Equal(3, (await Api.EntriesAsync(user)).Count); // deposit, hold, one capture

        // The start sent again answers the same session; with another deposit it conflicts.
        var restart = await Api.StartAsync(new { operationId = id, accountId = user, hostAccountId = host, deposit = 2_000, pricePerUnit = 1 });
        Assert.Equal(HttpStatusCode.Created, restart.Status);
        var otherDeposit = await Api.StartAsync(new { operationId = id, accountId = user, hostAccountId = host, deposit = 2_001, pricePerUnit = 1 });
        Assert.Equal(("idempotency_conflict", "deposit"), (otherDeposit.Code, otherDeposit.Json.GetProperty("field").GetString()));
        var otherPrice = await Api.StartAsync(new { operationId = id, accountId = user, hostAccountId = host, deposit = 2_000, pricePerUnit = 2 });
        Assert.Equal(("idempotency_conflict", "pricePerUnit"), (otherPrice.Code, otherPrice.Json.GetProperty("field").GetString()));
    }

    [Theory]
    [InlineData("""{"accountId":"a","hostAccountId":"h","deposit":10,"pricePerUnit":1}""", "operationId")]
    [InlineData("""{"operationId":"s1","hostAccountId":"h","deposit":10,"pricePerUnit":1}""", "accountId")]
    [InlineData("""{"operationId":"s1","accountId":"a","deposit":10,"pricePerUnit":1}""", "hostAccountId")]
    [InlineData("""{"operationId":"s1","accountId":"a","hostAccountId":"h","deposit":"10","pricePerUnit":1}""", "deposit")]
    [InlineData("""{"operationId":"s1","accountId":"a","hostAccountId":"h","deposit":0,"pricePerUnit":1}""", "deposit")]
    [InlineData("""{"operationId":"s1","accountId":"a","hostAccountId":"h","deposit":10}""", "pricePerUnit")]
    [InlineData("""{"operationId":"s1","accountId":"a","hostAccountId":"h","deposit":10,"pricePerUnit":-0.5}""", "pricePerUnit")]
    [InlineData("""{"operationId":"s1","accountId":"a","hostAccountId":"h","deposit":10,"pricePerUnit":"0.5"}""", "pricePerUnit")]
    [InlineData("""{"operationId":"s1","accountId":"a","hostAccountId":"h","deposit":10,"pricePerUnit":1,"checkpointUnits":0}""", "checkpointUnits")]
    [InlineData("""{"operationId":"s1","accountId":"a","hostAccountId":"a","deposit":10,"pricePerUnit":1}""", "hostAccountId")]
    [InlineData("""{"operationId":"s-0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890","accountId":"a","hostAccountId":"h","deposit":10,"pricePerUnit":1}""", "operationId")]
    public async Task A_bad_start_is_400_naming_the_field(string json, string field)
    {
        var response = await Api.PostJsonAsync("/v1/sessions", json);

        AssertNames(response, field);
    }

    [Fact]
    public async Task Bad_usage_and_unknown_sessions_and_accounts_are_refused_with_their_field()
    {
        var (user, host, id) = await StartedAsync();

        AssertNames(await Api.UsageAsync(id, "u", 0), "units");
        AssertNames(await Api.PostJsonAsync($"/v1/sessions/{id}/usage", """{"units":5}"""), "operationId");
        AssertNames(await Api.PostJsonAsync($"/v1/sessions/{id}/end", "{}"), "operationId");
        // One report may cross at most 100 checkpoints of 1,000 units.
        var tooMany = await Api.UsageAsync(id, "u-big", 101_000);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.Status);
        Assert.Contains("units", tooMany.Text, StringComparison.Ordinal);
        Assert.Equal("not_found", (await Api.UsageAsync("no-such-session", "u", 5)).Code);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync("/v1/sessions/no-such-session")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.EndAsync("no-such-session", "e")).Status);

        var noHost = await Api.StartAsync(new { operationId = $"s-{Guid.NewGuid():N}", accountId = user, hostAccountId = "no-such-host", deposit = 10, pricePerUnit = 1 });
        Assert.Equal(HttpStatusCode.NotFound, noHost.Status);
        Assert.Equal("hostAccountId", noHost.Json.GetProperty("field").GetString());
        var poorId = $"s-{Guid.NewGuid():N}";
        var poor = await Api.StartAsync(new { operationId = poorId, accountId = user, hostAccountId = host, deposit = 1_000_000, pricePerUnit = 1 });
        Assert.Equal(HttpStatusCode.PaymentRequired, poor.Status);
        Assert.Equal("insufficient_funds", poor.Code);
        // A start whose hold was refused never began: no session under its id, and the id starts afresh with another body.
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"/v1/sessions/{poorId}")).Status);
        var afresh = (await Api.StartAsync(new { operationId = poorId, accountId = user, hostAccountId = host, deposit = 10, pricePerUnit = 1 }))
            .Expect(HttpStatusCode.Created);
        Assert.Equal(0, afresh.GetProperty("pendingLegs").GetInt32());
    }

    [Fact]
    public async Task A_closed_host_is_refused_at_start_and_a_host_closed_later_has_its_share_go_to_the_treasury()
    {
        var user = await Api.CreateAccountAsync();
        await Api.DepositAsync(user, "money-in", 5_000);
        var closedHost = await Api.CreateAccountAsync();
        (await Api.PostAsync($"/v1/accounts/{closedHost}/close", new { operationId = "close" })).Expect(HttpStatusCode.OK);
        var refused = await Api.StartAsync(new { operationId = $"s-{Guid.NewGuid():N}", accountId = user, hostAccountId = closedHost, deposit = 100, pricePerUnit = 1 });
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal(("account_closed", "hostAccountId"), (refused.Code, refused.Json.GetProperty("field").GetString()));
        Assert.Equal((5_000, 0), await Api.BalanceAsync(user)); // nothing held

        // The host closes while the session is open: its shares go to the treasury, and the payer's deposit still settles.
        var host = await Api.CreateAccountAsync();
        var id = $"s-{Guid.NewGuid():N}";
        (await Api.StartAsync(new { operationId = id, accountId = user, hostAccountId = host, deposit = 1_000, pricePerUnit = 1, checkpointUnits = 100 }))
            .Expect(HttpStatusCode.Created);
        (await Api.PostAsync($"/v1/accounts/{host}/close", new { operationId = "close" })).Expect(HttpStatusCode.OK);
        var treasuryBefore = (await Api.EntriesAsync(Treasury)).Count == 0 ? 0 : (await Api.BalanceAsync(Treasury)).Available;

        var reported = (await Api.UsageAsync(id, "u1", 250)).Expect(HttpStatusCode.OK);
        Assert.Equal(0, reported.GetProperty("pendingLegs").GetInt32());
        var ended = (await Api.EndAsync(id, "end")).Expect(HttpStatusCode.OK);
        Assert.Equal((250L, 0L, 250L, 750L, 0), (
            ended.GetProperty("charged").GetInt64(), ended.GetProperty("hostEarnings").GetInt64(), ended.GetProperty("treasuryEarnings").GetInt64(),
            ended.GetProperty("released").GetInt64(), ended.GetProperty("pendingLegs").GetInt32()));
        Assert.Equal((4_750, 0), await Api.BalanceAsync(user));
        Assert.Equal(treasuryBefore + 250, (await Api.BalanceAsync(Treasury)).Available);
        Assert.DoesNotContain(await Api.EntriesAsync(host), e => e.Kind == "deposit");
        Assert.Contains(await Api.EntriesAsync(Treasury), e => e.OperationId == $"session:{id}:cp:1:host:treasury" && e.Amount == 90);
    }

    [Fact]
    public async Task Only_the_paying_accounts_keys_and_the_operator_may_use_a_session()
    {
        var (user, host, id) = await StartedAsync();
        var stranger = await Api.CreateAccountAsync();
        var strangerKey = await Api.IssueKeyAsync(stranger, "charge", "read");
        var userKey = await Api.IssueKeyAsync(user, "charge", "read");
        var userReadKey = await Api.IssueKeyAsync(user, "read");

        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.UsageAsync(id, "u", 5, key: null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.GetAsync($"/v1/sessions/{id}", key: "cg_nonsense")).Status);
        // Another account's session is not told apart from no session.
        Assert.Equal(HttpStatusCode.NotFound, (await Api.UsageAsync(id, "u", 5, key: strangerKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.EndAsync(id, "e", key: strangerKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"/v1/sessions/{id}", key: strangerKey)).Status);
        Assert.Equal(
            (await Api.GetAsync("/v1/sessions/no-such-session", key: strangerKey)).Json.GetProperty("detail").GetString()!.Replace("no-such-session", id, StringComparison.Ordinal),
            (await Api.GetAsync($"/v1/sessions/{id}", key: strangerKey)).Json.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.UsageAsync(id, "u", 5, key: userReadKey)).Status);
        var strangersStart = await Api.StartAsync(new { operationId = $"s-{Guid.NewGuid():N}", accountId = user, hostAccountId = host, deposit = 10, pricePerUnit = 1 }, key: strangerKey);
        Assert.Equal(HttpStatusCode.Forbidden, strangersStart.Status);
        Assert.Equal("forbidden", strangersStart.Code);
        Assert.Equal(2, (await Api.EntriesAsync(user)).Count); // nothing moved

        Assert.Equal(5, (await Api.UsageAsync(id, "u", 5, key: userKey)).Expect(HttpStatusCode.OK).GetProperty("units").GetInt64());
        Assert.Equal(5, (await Api.GetAsync($"/v1/sessions/{id}", key: userReadKey)).Expect(HttpStatusCode.OK).GetProperty("units").GetInt64());
        (await Api.StartAsync(new { operationId = $"s-{Guid.NewGuid():N}", accountId = user, hostAccountId = host, deposit = 10, pricePerUnit = 1 }, key: userKey))
            .Expect(HttpStatusCode.Created);
        Assert.Equal("ended", (await Api.EndAsync(id, "e", key: userKey)).Expect(HttpStatusCode.OK).GetProperty("status").GetString());
    }

    private async Task<(string User, string Host, string Id)> StartedAsync()
    {
        var user = await Api.CreateAccountAsync();
        var host = await Api.CreateAccountAsync();
        await Api.DepositAsync(user, "money-in", 10_000);
        var id = $"s-{Guid.NewGuid():N}";
        (await Api.StartAsync(new { operationId = id, accountId = user, hostAccountId = host, deposit = 2_000, pricePerUnit = 1 })).Expect(HttpStatusCode.Created);
        return (user, host, id);
    }

    private static void AssertNames(ApiResponse response, string field)
    {
        Assert.True(response.Status == HttpStatusCode.BadRequest, response.ToString());
        Assert.Equal("validation_failed", response.Code);
        Assert.True(response.Json.TryGetProperty("errors", out var errors) ? errors.TryGetProperty(field, out _) : response.Json.GetProperty("field").GetString() == field, response.Text);
    }
}
