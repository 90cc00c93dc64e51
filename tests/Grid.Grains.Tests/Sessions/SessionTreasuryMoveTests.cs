using Grid.Contracts.Sessions;
using Grid.Grains.Hosting;
using Grid.Grains.Tests.Support;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Ledger.Journal;
using Grid.Runtime;
using Grid.Storage;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Grid.Grains.Tests.Sessions;

/// <summary>
/// The operator replaces the treasury while a metered session is open and closes the old one: the session's next
/// treasury shares go to the configured treasury (operation ids ending <c>:moved</c>), once each, and every credit is
/// accounted for; shares set aside while the closed treasury was still configured follow once a new one is. On SQLite
/// and on PostgreSQL.
/// </summary>
public abstract class SessionTreasuryMoveTests(string provider) : IAsyncLifetime
{
    private LedgerStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await LedgerStorage.CreateAsync(provider);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task Shares_for_a_closed_old_treasury_go_to_the_configured_one_once_each()
    {
        await using (var before = await StartAsync("treasury-old"))
        {
            // The operator empties and closes the old treasury, then configures a new one.
            await PaidOnceThenOldTreasuryClosedAsync(before, "s-move");
        }

        await using var after = await StartAsync("treasury-new");
        var moved = after.Grains.GetGrain<ISessionGrain>("s-move");
        var reported = await moved.ReportUsage(new UsageReport("u2", 1_000)); // a second checkpoint: its 80 must go somewhere open
        Assert.Equal((2, 0, 0), (reported.Checkpoints, reported.PendingLegs, reported.ParkedLegs));

        var ended = await moved.End("end"); // nothing more used: the rest of the deposit (400) is released
        Assert.Equal((SessionStatus.Ended, 1_600L, 1_440L, 160L, 400L, 0, 0),
            (ended.Status, ended.Charged, ended.HostEarnings, ended.TreasuryEarnings, ended.Released, ended.PendingLegs, ended.ParkedLegs));

        var treasury = await JournalAsync(after, "treasury-new");
        var share = Assert.Single(treasury, e => e.Kind == JournalEntryKind.Deposit);
        Assert.Equal((80L, "session:s-move:cp:2:treasury:moved"), (share.Amount, share.OperationId));
        Assert.DoesNotContain(await JournalAsync(after, "treasury-old"), e => e.OperationId.Contains("cp:2", StringComparison.Ordinal));

        // Conservation: what the payer paid is what the host and both treasuries received.
        var payer = await after.Account("payer").GetBalance();
        Assert.Equal((8_400L, 0L), (payer.Available, payer.Held));
        var host = (await after.Account("host").GetBalance()).Available;
        var oldTreasury = (await JournalAsync(after, "treasury-old")).Where(e => e.Kind == JournalEntryKind.Deposit).Sum(e => e.Amount);
        var newTreasury = (await after.Account("treasury-new").GetBalance()).Available;
        Assert.Equal((1_440L, 80L, 80L), (host, oldTreasury, newTreasury));
        Assert.Equal(10_000L - payer.Available, host + oldTreasury + newTreasury);
    }

    [Fact]
    public async Task Shares_set_aside_while_the_closed_treasury_was_still_configured_go_to_the_new_one_by_themselves()
    {
        await using (var before = await StartAsync("treasury-old"))
        {
            // Closed in the wrong order: the old treasury goes before the settings name a new one.
            var session = await PaidOnceThenOldTreasuryClosedAsync(before, "s-aside");
            var aside = await session.ReportUsage(new UsageReport("u2", 1_000));
            Assert.Equal((0, 1), (aside.PendingLegs, aside.ParkedLegs));
            var ended = await session.End("end");
            Assert.Equal((SessionStatus.Ended, 1, 400L), (ended.Status, ended.ParkedLegs, ended.Released));
        }

        // The new treasury configured, and no call to the session: its slow look at what was set aside pays it.
        await using var after = await StartAsync("treasury-new");
        var moved = after.Grains.GetGrain<ISessionGrain>("s-aside");
        await Grid.TestKit.Eventually.TrueAsync(async () => (await moved.Get())!.ParkedLegs == 0, "the share set aside paid to the new treasury");
        var share = Assert.Single(await JournalAsync(after, "treasury-new"), e => e.Kind == JournalEntryKind.Deposit);
        Assert.Equal((80L, "session:s-aside:cp:2:treasury:moved"), (share.Amount, share.OperationId));
        var view = (await moved.Get())!;
        Assert.Equal((0, 0, 160L), (view.PendingLegs, view.ParkedLegs, view.TreasuryEarnings));
        var payer = await after.Account("payer").GetBalance();
        var host = (await after.Account("host").GetBalance()).Available;
        Assert.Equal(10_000L - payer.Available, host + 80L + (await after.Account("treasury-new").GetBalance()).Available);
    }

    [Fact]
    public async Task A_share_set_aside_that_a_person_paid_by_hand_is_released_and_never_paid_again()
    {
        await using (var before = await StartAsync("treasury-old"))
        {
            var session = await PaidOnceThenOldTreasuryClosedAsync(before, "s-hand");
            await session.ReportUsage(new UsageReport("u2", 1_000));
            await session.End("end");
            var parked = Assert.Single(await session.ParkedSteps());
            Assert.Equal(new ParkedStepView("session:s-hand:cp:2:treasury", "treasury", "treasury-old", 80), parked);

            // A person pays the share by hand, and releases the step; another id, or the same one again, is not found.
            await before.Account("treasury-by-hand").Execute(new OpenAccount());
            await before.Account("treasury-by-hand").Execute(new Deposit("paid-by-hand", 80, parked.OperationId));
            var unknown = await Assert.ThrowsAsync<LedgerException>(() => session.ReleaseParkedStep("session:s-hand:cp:1:treasury"));
            Assert.Equal((LedgerErrorCodes.NotFound, "operationId"), (unknown.Code, unknown.Field));
            Assert.Empty(await session.ReleaseParkedStep(parked.OperationId));
            Assert.Equal(LedgerErrorCodes.NotFound, (await Assert.ThrowsAsync<LedgerException>(() => session.ReleaseParkedStep(parked.OperationId))).Code);
            Assert.Equal(0, (await session.Get())!.ParkedLegs);
        }

        // A new treasury configured later takes up shares still set aside (see above): not this one, paid already.
        await using var after = await StartAsync("treasury-new");
        var ended = await after.Grains.GetGrain<ISessionGrain>("s-hand").End("end");
        Assert.Equal((0, 0), (ended.PendingLegs, ended.ParkedLegs));
        Assert.Null(await after.Account("treasury-new").Get()); // a payout would have opened it
        Assert.Empty(await after.Grains.GetGrain<ISessionGrain>("s-hand").ParkedSteps());
    }

    [Fact]
    public async Task Releasing_a_parked_step_leaves_the_retry_of_steps_still_waiting_in_place()
    {
        // One step may be set aside; the next share the closed treasury refuses waits, retried every second.
        await using var silo = await StartAsync("treasury-old", new() { ["Grid:Sessions:MaxPendingSteps"] = "1", ["Grid:Sessions:RetryPeriod"] = "00:00:01" });
        var session = await PaidOnceThenOldTreasuryClosedAsync(silo, "s-wait");
        await session.ReportUsage(new UsageReport("u2", 1_000)); // its treasury share set aside
        await session.ReportUsage(new UsageReport("u3", 500));
        var ended = await session.End("end"); // the end's treasury share has no room to be set aside: it waits
        Assert.Equal((SessionStatus.Ended, 1, 1), (ended.Status, ended.PendingLegs, ended.ParkedLegs));

        Assert.Empty(await session.ReleaseParkedStep("session:s-wait:cp:2:treasury"));

        // The retry goes on: the waiting share is set aside in the room the release made, and the session is done.
        await Grid.TestKit.Eventually.TrueAsync(async () => (await session.Get())!.PendingLegs == 0, "the waiting step retried");
        Assert.Equal(new ParkedStepView("session:s-wait:end:treasury", "treasury", "treasury-old", 40), Assert.Single(await session.ParkedSteps()));
    }

    /// <summary>A payer with 10,000 and a session (2,000 deposit, 0.8 a unit) whose first checkpoint paid 720 to the host
    /// and 80 to the old treasury, which the operator then empties and closes.</summary>
    private static async Task<ISessionGrain> PaidOnceThenOldTreasuryClosedAsync(LedgerSilo silo, string id)
    {
        await silo.Account("payer").Execute(new OpenAccount());
        await silo.Account("payer").Execute(new Deposit("fund", 10_000));
        await silo.Account("host").Execute(new OpenAccount());
        var session = silo.Grains.GetGrain<ISessionGrain>(id);
        await session.Start(new SessionStart("payer", "host", 2_000, 0.8m, 1_000));
        await session.ReportUsage(new UsageReport("u1", 1_000));
        await silo.Account("treasury-old").Execute(new Debit("sweep", 80));
        await silo.Account("treasury-old").Execute(new CloseAccount("close"));
        return session;
    }

    private Task<LedgerSilo> StartAsync(string treasury, Dictionary<string, string?>? more = null)
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Grid:Sessions:TreasuryAccountId"] = treasury,
            ["Grid:Sessions:ParkedRecheckPeriod"] = "00:00:01",
        }).AddInMemoryCollection(more ?? []).Build();
        return LedgerSilo.StartAsync(_storage.Options, services: s => s.AddSessions(settings));
    }

    private static async Task<IReadOnlyList<JournalEntry>> JournalAsync(LedgerSilo silo, string account) =>
        (await silo.Account(account).GetJournal(0, 100)).Entries;
}

public sealed class SqliteSessionTreasuryMoveTests() : SessionTreasuryMoveTests(StorageOptions.Sqlite);

public sealed class PostgresSessionTreasuryMoveTests() : SessionTreasuryMoveTests(StorageOptions.Postgres);
