using Grid.Contracts.Sessions;
using Grid.Grains.Hosting;
using Grid.Grains.Tests.Support;
using Grid.Ledger.Persistence;
using Grid.Runtime;
using Grid.Runtime.Reminders;
using Grid.Storage;
using Grid.Storage.Stores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Grid.Grains.Tests.Sessions;

/// <summary>
/// A metered session whose stores fail at the worst moments: a reminder that cannot be registered while an end's
/// decisions are stored, and a usage record that cannot be written once the payouts are done. Nothing undecided is
/// acted on, and nothing is lost for good. On SQLite and on PostgreSQL.
/// </summary>
public abstract class SessionStoreFailureTests(string provider) : IAsyncLifetime
{
    private LedgerStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await LedgerStorage.CreateAsync(provider);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task An_end_whose_reminder_cannot_be_registered_changes_nothing_and_its_retry_ends_the_session_once()
    {
        FailingReminderTable? reminders = null;
        await using var silo = await StartAsync(s => s.AddSingleton<IReminderTable>(sp =>
            reminders = new FailingReminderTable(new SqlReminderTable(sp.GetRequiredService<GridDatabase>()))));
        var session = await FundedSession.StartAsync(silo, "s-reminder");
        await session.ReportUsage(new UsageReport("u1", 1_000)); // a checkpoint: 800 captured, 720 to the host, 80 to the treasury
        await session.ReportUsage(new UsageReport("u2", 450));

        reminders!.FailNext();
        await Assert.ThrowsAnyAsync<Exception>(() => session.End("end"));

        // The end's decisions were never stored: the session is as the store has it, open, and nothing more moved.
        Assert.Equal(SessionStatus.Open, (await session.Get())!.Status);
        Assert.Equal((8_000L, 1_200L), await BalanceAsync(silo, "payer"));

        var ended = await session.End("end");
        Assert.Equal((SessionStatus.Ended, 1_160L, 840L, 0), (ended.Status, ended.Charged, ended.Released!.Value, ended.PendingLegs));
        Assert.Equal((8_840L, 0L), await BalanceAsync(silo, "payer"));
        Assert.Equal((1_044L, 0L), await BalanceAsync(silo, "host")); // 720 + 324
    }

    [Fact]
    public async Task A_usage_record_that_could_not_be_written_is_written_by_the_next_end()
    {
        FailingUsageStore? usage = null;
        await using var silo = await StartAsync(s => s.AddSingleton<IUsageStore>(sp =>
            usage = new FailingUsageStore(new SqlUsageStore(sp.GetRequiredService<GridDatabase>()))));
        var session = await FundedSession.StartAsync(silo, "s-usage");
        await session.ReportUsage(new UsageReport("u1", 100));

        usage!.FailNext();
        await Assert.ThrowsAnyAsync<Exception>(() => session.End("end")); // paid out, but its usage not yet written
        Assert.Empty(await SessionUsageAsync(silo));

        var ended = await session.End("end");
        Assert.Equal((SessionStatus.Ended, 80L), (ended.Status, ended.Charged));
        var row = Assert.Single(await SessionUsageAsync(silo));
        Assert.Equal((1L, 100L, 80L), (row.Count, row.Units, row.Charged));
    }

    private Task<LedgerSilo> StartAsync(Action<IServiceCollection> replace)
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Grid:Sessions:TreasuryAccountId"] = "treasury",
        }).Build();
        return LedgerSilo.StartAsync(_storage.Options, services: s =>
        {
            s.AddSessions(settings);
            replace(s);
        });
    }

    private static async Task<(long Available, long Held)> BalanceAsync(LedgerSilo silo, string account)
    {
        var balance = await silo.Account(account).GetBalance();
        return (balance.Available, balance.Held);
    }

    private static async Task<IReadOnlyList<UsageSummaryRow>> SessionUsageAsync(LedgerSilo silo) =>
        (await silo.Service<IUsageStore>().SummarizeAsync("payer", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), UsageGrouping.Kind, CancellationToken.None))
        .Where(r => r.Key == "session").ToList();
}

public sealed class SqliteSessionStoreFailureTests() : SessionStoreFailureTests(StorageOptions.Sqlite);

public sealed class PostgresSessionStoreFailureTests() : SessionStoreFailureTests(StorageOptions.Postgres);
