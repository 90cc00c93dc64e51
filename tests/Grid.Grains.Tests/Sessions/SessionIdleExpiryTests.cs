using System.Text.Json.Nodes;
using Grid.Contracts.Sessions;
using Grid.Grains.Hosting;
using Grid.Grains.Sessions;
using Grid.Grains.Tests.Support;
using Grid.Ledger.Errors;
using Grid.Ledger.Journal;
using Grid.Ledger.Persistence;
using Grid.Runtime;
using Grid.Runtime.Hosting;
using Grid.Runtime.Persistence;
using Grid.Runtime.Reminders;
using Grid.Storage;
using Grid.Storage.Stores;
using Grid.TestKit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Grid.Grains.Tests.Sessions;

/// <summary>
/// An open session that gets no usage for the idle timeout ends by itself (<c>expired</c>): what was reported is charged
/// and paid out as an end would, the rest of the deposit is released, never before the timeout after the last new report,
/// also when the silo restarted meanwhile, and also for a session stored without a reminder. On SQLite and on PostgreSQL.
/// </summary>
public abstract class SessionIdleExpiryTests(string provider) : IAsyncLifetime
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(1);

    private LedgerStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await LedgerStorage.CreateAsync(provider);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task A_session_without_new_usage_for_the_idle_timeout_expires_charging_what_was_reported()
    {
        var clock = new ManualTimeProvider();
        DateTimeOffset lastUsage;
        await using (var before = await StartAsync(clock))
        {
            var session = await FundedSession.StartAsync(before, "s-idle");
            var first = await session.ReportUsage(new UsageReport("u1", 1_500)); // one checkpoint: 800 charged
            Assert.Equal((1, 800L, clock.GetUtcNow() + IdleTimeout), (first.Checkpoints, first.Charged, first.IdleExpiresAt));

            clock.Advance(TimeSpan.FromMinutes(59));
            var second = await session.ReportUsage(new UsageReport("u2", 10));
            lastUsage = clock.GetUtcNow();
            Assert.Equal(lastUsage + IdleTimeout, second.IdleExpiresAt);

            // The reminder set at the checkpoint comes due an hour after it, finds usage since, and waits for the rest.
            clock.Advance(TimeSpan.FromMinutes(1));
            await Eventually.TrueAsync(
                async () => (await before.Service<IReminderTable>().ReadAllAsync(CancellationToken.None)).Single(r => r.GrainId.Key == "s-idle").StartAt == lastUsage + IdleTimeout,
                "the reminder set again for the idle time left");
            Assert.Equal(SessionStatus.Open, (await session.Get())!.Status);

            // An hour and 58 minutes after the start, 59 minutes after the last report: still open. A replay is no usage.
            clock.Advance(TimeSpan.FromMinutes(58));
            Assert.Equal(1_510L, (await session.ReportUsage(new UsageReport("u2", 10))).Units);
            var open = (await session.Get())!;
            Assert.Equal((SessionStatus.Open, 1_510L, lastUsage + IdleTimeout), (open.Status, open.Units, open.IdleExpiresAt));
            Assert.Equal((8_000L, 1_200L), Balance(await before.Account("payer").GetBalance()));
        }

        // The silo is down when the session's last minute begins; the silo up when it ends expires the session.
        await using var after = await StartAsync(clock);
        var loaded = after.Grains.GetGrain<ISessionGrain>("s-idle");
        clock.Advance(TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(async () => (await loaded.Get())!.Status == SessionStatus.Expired, "the idle session expired");

        var expired = (await loaded.Get())!;
        // ceil(1,510 x 0.8) = 1,208 charged in all; the host gets floor(1,208 x 90%) = 1,087, the treasury 121.
        Assert.Equal(
            (1_510L, 1_208L, 1_087L, 121L, (long?)792L, 0, lastUsage + IdleTimeout, (DateTimeOffset?)null),
            (expired.BilledUnits, expired.Charged, expired.HostEarnings, expired.TreasuryEarnings, expired.Released, expired.PendingLegs, expired.ClosedAt, expired.IdleExpiresAt));
        var payerCaptures = (await JournalAsync(after, "payer")).Where(e => e.Kind == JournalEntryKind.Capture).Select(e => (e.OperationId, e.Amount, e.Released));
        Assert.Equal([("session:s-idle:cp:1:capture", 800L, 0L), ("session:s-idle:end:capture", 408L, 792L)], payerCaptures);
        Assert.Equal((8_792L, 0L), Balance(await after.Account("payer").GetBalance()));
        Assert.Equal((1_087L, 121L), ((await after.Account("host").GetBalance()).Available, (await after.Account("treasury").GetBalance()).Available));
        Assert.DoesNotContain(await after.Service<IReminderTable>().ReadAllAsync(CancellationToken.None), r => r.GrainId.Key == "s-idle");
        var usage = await after.Service<IUsageStore>().SummarizeAsync(
            "payer", clock.GetUtcNow().AddDays(-1), clock.GetUtcNow().AddDays(1), UsageGrouping.Kind, CancellationToken.None);
        Assert.Equal(new UsageSummaryRow("session", 1, 1_510, 1_208, 0), Assert.Single(usage));

        // The server comes back: its usage is refused, and its end answers how the session closed, moving nothing.
        var late = await Assert.ThrowsAsync<LedgerException>(() => loaded.ReportUsage(new UsageReport("u3", 5)));
        Assert.Equal(LedgerErrorCodes.InvalidState, late.Code);
        Assert.Contains("expired", late.Message, StringComparison.Ordinal);
        Assert.Equal(SessionStatus.Expired, (await loaded.End("end")).Status);
        Assert.Equal(5, (await JournalAsync(after, "payer")).Count); // open, deposit, hold and the two captures
    }

    [Fact]
    public async Task A_session_stored_by_an_earlier_version_gets_a_full_idle_timeout_from_its_next_load()
    {
        var clock = new ManualTimeProvider();
        var sessionGrain = await StoreAsEarlierVersionAsync(clock, "s-old");

        // Three hours pass, more than the timeout since its start and its last report; its server may still be
        // reporting, so it must not expire on loading.
        await using var after = await StartAsync(clock);
        await ForgetIdleStartAsync(after, sessionGrain);
        clock.Advance(TimeSpan.FromHours(3));
        var loadedAt = clock.GetUtcNow();

        var loaded = after.Grains.GetGrain<ISessionGrain>("s-old");
        Assert.Equal(SessionStatus.Open, (await loaded.Get())!.Status);
        await Eventually.TrueAsync(
            async () => (await after.Service<IReminderTable>().ReadAllAsync(CancellationToken.None)).Any(r => r.GrainId.Key == "s-old"),
            "the loaded session registered its reminder");
        Assert.Equal((SessionStatus.Open, loadedAt + IdleTimeout), ((await loaded.Get())!.Status, (await loaded.Get())!.IdleExpiresAt));

        clock.Advance(IdleTimeout - TimeSpan.FromMinutes(1));
        Assert.Equal(SessionStatus.Open, (await loaded.Get())!.Status);
        clock.Advance(TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(async () => (await loaded.Get())!.Status == SessionStatus.Expired, "the session expired by the mended reminder");
        Assert.Equal((9_920L, 0L), Balance(await after.Account("payer").GetBalance())); // 100 units at 0.8: 80 charged, the rest back
    }

    [Fact]
    public async Task A_session_stored_by_an_earlier_version_and_loaded_by_a_report_gets_its_reminder_though_the_first_registration_fails()
    {
        // The report starts the idle time; set after it, a reminder whose registration failed would never be set again.
        var clock = new ManualTimeProvider();
        var sessionGrain = await StoreAsEarlierVersionAsync(clock, "s-report");
        FailingReminderTable? reminders = null;
        await using var after = await StartAsync(clock, s => s.AddSingleton<IReminderTable>(sp =>
            reminders = new FailingReminderTable(new SqlReminderTable(sp.GetRequiredService<GridDatabase>()))));
        await ForgetIdleStartAsync(after, sessionGrain);
        clock.Advance(TimeSpan.FromHours(3));

        reminders!.FailNext();
        var session = after.Grains.GetGrain<ISessionGrain>("s-report");
        // The reminder cannot be set first: the report fails and changes nothing, and is sent again.
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => session.ReportUsage(new UsageReport("u2", 50)));
        Assert.Equal(100, (await session.Get())!.Units);
        await session.ReportUsage(new UsageReport("u2", 50));
        await Eventually.TrueAsync(
            async () => (await reminders.ReadAllAsync(CancellationToken.None)).Any(r => r.GrainId.Key == "s-report"),
            "the session's reminder registered");

        clock.Advance(IdleTimeout);
        await Eventually.TrueAsync(async () => (await session.Get())!.Status == SessionStatus.Expired, "the session expired by its reminder");
        Assert.Equal((9_880L, 0L), Balance(await after.Account("payer").GetBalance())); // 150 units at 0.8: 120 charged, the rest back
    }

    [Fact]
    public async Task A_session_loaded_by_an_end_whose_usage_record_fails_keeps_the_reminder_that_retries_it()
    {
        var clock = new ManualTimeProvider();
        await using (var before = await StartAsync(clock))
        {
            await (await FundedSession.StartAsync(before, "s-retry")).ReportUsage(new UsageReport("u1", 100));
        }

        // A fresh activation: the end runs before the load-time tick, and its usage record is not written.
        await using var after = await StartAsync(clock, s => s.AddSingleton<IUsageStore>(sp =>
            new FailingUsageStore(new SqlUsageStore(sp.GetRequiredService<GridDatabase>()))));
        var loaded = after.Grains.GetGrain<ISessionGrain>("s-retry");
        ((FailingUsageStore)after.Service<IUsageStore>()).FailNext();
        await Assert.ThrowsAnyAsync<Exception>(() => loaded.End("end"));
        Assert.Equal(SessionStatus.Ended, (await loaded.Get())!.Status); // the load-time tick, queued behind the end, has run by now

        // The reminder that writes the record is still there, and does.
        Assert.Contains(await after.Service<IReminderTable>().ReadAllAsync(CancellationToken.None), r => r.GrainId.Key == "s-retry");
        clock.Advance(TimeSpan.FromMinutes(2));
        await Eventually.TrueAsync(
            async () => (await after.Service<IUsageStore>().SummarizeAsync(
                "payer", clock.GetUtcNow().AddDays(-1), clock.GetUtcNow().AddDays(1), UsageGrouping.Kind, CancellationToken.None)).Count == 1,
            "the usage record written by the reminder");
        await Eventually.TrueAsync(
            async () => !(await after.Service<IReminderTable>().ReadAllAsync(CancellationToken.None)).Any(r => r.GrainId.Key == "s-retry"),
            "the reminder gone once nothing is left to do");
    }

    /// <summary>An open session with one report of 100 units, its reminder gone as an earlier version stored it; the silo stopped.</summary>
    private async Task<GrainId> StoreAsEarlierVersionAsync(ManualTimeProvider clock, string sessionId)
    {
        await using var before = await StartAsync(clock);
        var session = await FundedSession.StartAsync(before, sessionId);
        await session.ReportUsage(new UsageReport("u1", 100));
        var reminders = before.Service<IReminderTable>();
        var stored = Assert.Single(await reminders.ReadAllAsync(CancellationToken.None), r => r.GrainId.Key == sessionId);
        Assert.Equal(SessionGrain.SessionReminder, stored.Name);
        Assert.True(await reminders.DeleteAsync(stored.GrainId, stored.Name, CancellationToken.None));
        return stored.GrainId;
    }

    /// <summary>Takes the idle start out of the stored session, as an earlier version stored it (before it loads).</summary>
    private static async Task ForgetIdleStartAsync(LedgerSilo silo, GrainId sessionGrain)
    {
        var states = silo.Service<IGrainStateStore>();
        var record = (await states.ReadAsync(sessionGrain, "session", CancellationToken.None))!;
        var payload = JsonNode.Parse(record.Payload!)!.AsObject();
        Assert.True(payload.Remove("idleSince"));
        Assert.NotNull(await states.WriteAsync(sessionGrain, "session", payload.ToJsonString(), record.Version, CancellationToken.None));
    }

    private static (long Available, long Held) Balance(Grid.Ledger.Accounts.Balance balance) => (balance.Available, balance.Held);

    private Task<LedgerSilo> StartAsync(TimeProvider clock, Action<IServiceCollection>? services = null)
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Grid:Sessions:IdleTimeout"] = IdleTimeout.ToString(),
        }).Build();
        return LedgerSilo.StartAsync(_storage.Options, clock, services: s =>
        {
            s.AddSessions(settings);
            // The clock moves by the hour here: activations stay, so a tick meets the activation a report left, not a fresh load.
            s.Configure<GrainRuntimeOptions>(o => o.CollectionAge = TimeSpan.FromDays(365));
            services?.Invoke(s);
        });
    }

    private static async Task<IReadOnlyList<JournalEntry>> JournalAsync(LedgerSilo silo, string account) =>
        (await silo.Account(account).GetJournal(0, 100)).Entries;
}

public sealed class SqliteSessionIdleExpiryTests() : SessionIdleExpiryTests(StorageOptions.Sqlite);

public sealed class PostgresSessionIdleExpiryTests() : SessionIdleExpiryTests(StorageOptions.Postgres);
