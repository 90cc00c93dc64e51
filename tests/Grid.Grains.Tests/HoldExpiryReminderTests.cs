using Grid.Grains.Accounts;
using Grid.Grains.Tests.Support;
using Grid.Ledger.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Journal;
using Grid.Runtime;
using Grid.Runtime.Reminders;
using Grid.Storage;
using Grid.Storage.Stores;
using Grid.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Grid.Grains.Tests;

/// <summary>
/// Every hold with an expiry has a stored reminder, also when the account's last expiry removes the reminder while a new
/// hold is being placed, and again once an account whose reminder went missing loads. On SQLite and on PostgreSQL.
/// </summary>
public abstract class HoldExpiryReminderTests(string provider) : IAsyncLifetime
{
    private LedgerStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await LedgerStorage.CreateAsync(provider);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task A_hold_placed_while_the_last_expiry_removes_the_reminder_still_expires()
    {
        var clock = new ManualTimeProvider();
        GatedReminderTable? table = null;
        await using var silo = await LedgerSilo.StartAsync(_storage.Options, clock, services: s =>
            s.AddSingleton<IReminderTable>(sp => table = new GatedReminderTable(new SqlReminderTable(sp.GetRequiredService<GridDatabase>()))));
        var account = silo.Account("race");
        await account.Execute(new OpenAccount());
        await account.Execute(new Deposit("dep", 1_000));
        await account.Execute(new PlaceHold("h1", 400, TimeSpan.FromMinutes(1)));

        // h1 expires; its reminder, finding nothing left to expire, starts removing itself and is held there.
        table!.HoldDeletes();
        clock.Advance(TimeSpan.FromSeconds(61));
        await table.DeleteStarted.WaitAsync(TimeSpan.FromSeconds(30));
        var h2 = account.Execute(new PlaceHold("h2", 300, TimeSpan.FromMinutes(1)));
        await Task.Delay(200); // h2 is under way while the removal is in flight
        table.ReleaseDeletes();
        Assert.Equal(300, (await h2.WaitAsync(TimeSpan.FromSeconds(30))).Hold!.Amount);

        Assert.Contains(await table.ReadAllAsync(CancellationToken.None), r => r.GrainId.Key == "race" && r.Name == AccountGrain.ExpiryReminder);
        clock.Advance(TimeSpan.FromMinutes(2));
        await Eventually.TrueAsync(async () => (await account.GetBalance()).Held == 0, "h2 expired by its reminder");
        var entries = await silo.Store.ReadJournalAsync("race", 0, 10, CancellationToken.None);
        Assert.Equal(["h1", "h2"], entries.Where(e => e.Kind == JournalEntryKind.Expire).Select(e => e.HoldId));
        Assert.Equal(new Balance(1_000, 0, 6), await account.GetBalance());
    }

    [Fact]
    public async Task An_account_whose_expiry_reminder_went_missing_registers_it_again_when_it_loads()
    {
        var clock = new ManualTimeProvider();
        await using (var silo = await LedgerSilo.StartAsync(_storage.Options, clock))
        {
            var account = silo.Account("mend");
            await account.Execute(new OpenAccount());
            await account.Execute(new Deposit("dep", 1_000));
            await account.Execute(new PlaceHold("h", 400, TimeSpan.FromMinutes(5)));
            var reminders = silo.Service<IReminderTable>();
            var stored = (await reminders.ReadAllAsync(CancellationToken.None)).Single(r => r.GrainId.Key == "mend");
            Assert.True(await reminders.DeleteAsync(stored.GrainId, AccountGrain.ExpiryReminder, CancellationToken.None));
            Assert.DoesNotContain(await reminders.ReadAllAsync(CancellationToken.None), r => r.GrainId.Key == "mend");
        }

        await using var restarted = await LedgerSilo.StartAsync(_storage.Options, clock);
        var loaded = restarted.Account("mend");
        Assert.Equal(400, (await loaded.GetBalance()).Held);
        await Eventually.TrueAsync(
            async () => (await restarted.Service<IReminderTable>().ReadAllAsync(CancellationToken.None)).Any(r => r.GrainId.Key == "mend"),
            "the loaded account registered its reminder again");
        clock.Advance(TimeSpan.FromMinutes(6));
        await Eventually.TrueAsync(async () => (await loaded.GetBalance()).Held == 0, "the hold expired by the mended reminder");
        Assert.Equal(new Balance(1_000, 0, 4), await loaded.GetBalance());
    }

    /// <summary>The real reminder table, whose deletes can be held at the door.</summary>
    private sealed class GatedReminderTable(IReminderTable inner) : IReminderTable
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _holding;

        public Task DeleteStarted => _started.Task;

        public void HoldDeletes() => _holding = true;

        public void ReleaseDeletes() => _gate.TrySetResult();

        public Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken) => inner.ReadAllAsync(cancellationToken);

        public Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken) => inner.UpsertAsync(entry, cancellationToken);

        public async Task<bool> DeleteAsync(GrainId grainId, string name, CancellationToken cancellationToken)
        {
            if (_holding)
            {
                _started.TrySetResult();
                await _gate.Task.WaitAsync(cancellationToken);
            }

            return await inner.DeleteAsync(grainId, name, cancellationToken);
        }
    }
}

public sealed class SqliteHoldExpiryReminderTests() : HoldExpiryReminderTests(StorageOptions.Sqlite);

public sealed class PostgresHoldExpiryReminderTests() : HoldExpiryReminderTests(StorageOptions.Postgres);
