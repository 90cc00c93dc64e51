using Grid.Contracts.Accounts;
using Grid.Grains.Hosting;
using Grid.Grains.Tests.Support;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Ledger.Holds;
using Grid.Ledger.Journal;
using Grid.Runtime;
using Grid.Storage;
using Grid.TestKit;
using Xunit;

namespace Grid.Grains.Tests;

/// <summary>The account grain end to end over a real store; every class runs on SQLite and on PostgreSQL.</summary>
public abstract class AccountGrainTests(string provider) : IAsyncLifetime
{
    private LedgerStorage _storage = null!;

    protected StorageOptions Storage => _storage.Options;

    public async Task InitializeAsync() => _storage = await LedgerStorage.CreateAsync(provider);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task Deposit_debit_and_reads_agree_with_the_stored_journal()
    {
        await using var silo = await LedgerSilo.StartAsync(Storage);
        var account = silo.Account("acc-1");
        await account.Execute(new OpenAccount("Ada"));
        await account.Execute(new Deposit("dep-1", 5_000, "pay_1"));
        var debit = await account.Execute(new Debit("deb-1", 1_200, "spell:fireball"));

        Assert.Equal(new Grid.Ledger.Accounts.Balance(3_800, 0, 3), debit.Balance);
        Assert.Equal(debit.Balance, await account.GetBalance());
        var journal = await silo.Store.ReadJournalAsync("acc-1", 0, 10, CancellationToken.None);
        Assert.Equal([JournalEntryKind.Open, JournalEntryKind.Deposit, JournalEntryKind.Debit], journal.Select(e => e.Kind));
        Assert.Equal(debit.Entry, journal[^1]);
        var stored = await silo.Store.LoadAsync("acc-1", CancellationToken.None);
        Assert.Equal(3_800, stored!.Available);
        Assert.Equal(3, stored.Sequence);
    }

    [Fact]
    public async Task Text_the_store_cannot_take_is_refused_naming_its_field_on_every_store_and_the_account_goes_on()
    {
        // What an embedded client may send without the gateway's checks: PostgreSQL's text refuses NUL, and a write it
        // refused would read as a failure to retry for ever (and fail the other accounts' appends merged with it).
        await using var silo = await LedgerSilo.StartAsync(Storage, services: s => s.AddCasts());
        var refused = await Assert.ThrowsAsync<LedgerException>(() => silo.Account("nul\0id").Execute(new OpenAccount()));
        Assert.Equal((LedgerErrorCodes.ValidationFailed, "accountId"), (refused.Code, refused.Field));

        var account = silo.Account("text-1");
        await account.Execute(new OpenAccount());
        await account.Execute(new Deposit("dep", 100));
        var badReference = await Assert.ThrowsAsync<LedgerException>(() => account.Execute(new Debit("deb", 10, "spell\0")));
        Assert.Equal((LedgerErrorCodes.ValidationFailed, "reference"), (badReference.Code, badReference.Field));
        var badKind = await Assert.ThrowsAsync<LedgerException>(() => silo.Grains.GetGrain<Grid.Contracts.Casts.ICastGrain>("text-cast").Start(
            new Grid.Contracts.Casts.CastStart("text-cast", "text-1", 10, 0, "up\0scale", TimeSpan.FromMinutes(1))));
        Assert.Equal((LedgerErrorCodes.ValidationFailed, "kind"), (badKind.Code, badKind.Field));

        Assert.Equal(90, (await account.Execute(new Debit("deb", 10, "spell"))).Balance.Available);
        Assert.Equal(3, (await silo.Store.ReadJournalAsync("text-1", 0, 10, CancellationToken.None)).Count); // open, deposit, debit
    }

    [Fact]
    public async Task Six_holds_of_1000_on_5000_exactly_five_succeed_even_when_sent_at_once()
    {
        await using var silo = await LedgerSilo.StartAsync(Storage);
        var account = silo.Account("holds");
        await account.Execute(new OpenAccount());
        await account.Execute(new Deposit("dep", 5_000));

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            try
            {
                await account.Execute(new PlaceHold($"hold-{i}", 1_000));
                return null;
            }
            catch (LedgerException refused)
            {
                return refused;
            }
        }));

        var refusals = attempts.Where(a => a is not null).ToList();
        var refusal = Assert.Single(refusals);
        Assert.Equal(LedgerErrorCodes.InsufficientFunds, refusal!.Code);
        Assert.Equal(0, refusal.Available);
        Assert.Equal(1_000, refusal.Required);
        Assert.Equal(new Grid.Ledger.Accounts.Balance(0, 5_000, 7), await account.GetBalance());
        Assert.Equal(5, (await account.GetHolds()).Count);
    }

    [Fact]
    public async Task Capture_beyond_what_is_left_is_refused_and_a_closed_hold_is_hold_closed()
    {
        await using var silo = await LedgerSilo.StartAsync(Storage);
        var account = silo.Account("capture");
        await account.Execute(new OpenAccount());
        await account.Execute(new Deposit("dep", 2_000));
        await account.Execute(new PlaceHold("h1", 1_000));

        var partial = await account.Execute(new CaptureHold("c1", "h1", 300, Final: false));
        Assert.Equal(new HoldView("h1", 1_000, 300, HoldStatus.Open, null, null), partial.Hold);
        var tooMuch = await Assert.ThrowsAsync<LedgerException>(() => account.Execute(new CaptureHold("c2", "h1", 701)));
        Assert.Equal(("validation_failed", "amount"), (tooMuch.Code, tooMuch.Field));

        var final = await account.Execute(new CaptureHold("c3", "h1", 200));
        Assert.Equal(HoldStatus.Captured, final.Hold!.Status);
        Assert.Equal(500, final.Entry.Released);
        Assert.Equal(new Grid.Ledger.Accounts.Balance(1_500, 0, 5), final.Balance);

        var closed = await Assert.ThrowsAsync<LedgerException>(() => account.Execute(new CaptureHold("c4", "h1", 1)));
        Assert.Equal(LedgerErrorCodes.HoldClosed, closed.Code);
        var voidClosed = await Assert.ThrowsAsync<LedgerException>(() => account.Execute(new VoidHold("v1", "h1")));
        Assert.Equal(LedgerErrorCodes.HoldClosed, voidClosed.Code);
        Assert.Equal(5, (await account.GetBalance()).Sequence); // refusals wrote nothing
    }

    [Fact]
    public async Task Same_operation_id_replays_the_original_and_different_arguments_conflict_naming_the_field()
    {
        await using var silo = await LedgerSilo.StartAsync(Storage);
        var account = silo.Account("idem");
        await account.Execute(new OpenAccount());
        await account.Execute(new Deposit("dep", 1_000));
        var first = await account.Execute(new Debit("op-1", 100, "r"));
        await account.Execute(new Debit("op-2", 50));

        var again = await account.Execute(new Debit("op-1", 100, "r"));
        Assert.True(again.Replayed);
        Assert.Equal(first.Entry, again.Entry);
        var conflict = await Assert.ThrowsAsync<LedgerException>(() => account.Execute(new Debit("op-1", 101, "r")));
        Assert.Equal((LedgerErrorCodes.IdempotencyConflict, "amount"), (conflict.Code, conflict.Field));
        var otherKind = await Assert.ThrowsAsync<LedgerException>(() => account.Execute(new Deposit("op-1", 100, "r")));
        Assert.Equal((LedgerErrorCodes.IdempotencyConflict, "operationId"), (otherKind.Code, otherKind.Field));
        Assert.Equal(850, (await account.GetBalance()).Available);
    }

    [Fact]
    public async Task Operation_ids_outlive_the_in_memory_window_and_a_silo_restart()
    {
        await using (var silo = await LedgerSilo.StartAsync(Storage, ledger: o => o.IdempotencyWindow = 16))
        {
            var account = silo.Account("long");
            await account.Execute(new OpenAccount());
            await account.Execute(new Deposit("dep", 1_000));
            await account.Execute(new PlaceHold("old-hold", 10));
            await account.Execute(new VoidHold("old-void", "old-hold"));
            for (var i = 0; i < 40; i++)
            {
                await account.Execute(new Debit($"d-{i}", 1));
            }

            // d-0 left the 16-entry window long ago: the journal still answers for it.
            Assert.True((await account.Execute(new Debit("d-0", 1))).Replayed);
            Assert.Equal(LedgerErrorCodes.HoldClosed, (await Assert.ThrowsAsync<LedgerException>(() => account.Execute(new VoidHold("again", "old-hold")))).Code);
        }

        await using var restarted = await LedgerSilo.StartAsync(Storage, ledger: o => o.IdempotencyWindow = 16);
        var same = restarted.Account("long");
        var replay = await same.Execute(new Debit("d-1", 1));
        Assert.True(replay.Replayed);
        Assert.Equal(JournalEntryKind.Debit, replay.Entry.Kind);
        Assert.Equal("amount", (await Assert.ThrowsAsync<LedgerException>(() => same.Execute(new Debit("d-2", 2)))).Field);
        Assert.Equal(960, (await same.GetBalance()).Available);
    }

    [Fact]
    public async Task Expired_hold_is_voided_by_its_reminder_even_after_a_silo_restart()
    {
        var clock = new ManualTimeProvider();
        await using (var silo = await LedgerSilo.StartAsync(Storage, clock))
        {
            var account = silo.Account("expiry");
            await account.Execute(new OpenAccount());
            await account.Execute(new Deposit("dep", 1_000));
            var hold = await account.Execute(new PlaceHold("h", 400, TimeSpan.FromMinutes(5)));
            Assert.Equal(clock.GetUtcNow().AddMinutes(5), hold.Hold!.ExpiresAt);
        }

        clock.Advance(TimeSpan.FromMinutes(6));
        await using var restarted = await LedgerSilo.StartAsync(Storage, clock);
        var account2 = restarted.Account("expiry");
        await Eventually.TrueAsync(async () => (await account2.GetBalance()).Sequence == 4, "the expired hold was voided by its reminder");
        Assert.Equal(new Grid.Ledger.Accounts.Balance(1_000, 0, 4), await account2.GetBalance());
        var expire = (await restarted.Store.ReadJournalAsync("expiry", 3, 10, CancellationToken.None)).Single();
        Assert.Equal((JournalEntryKind.Expire, 400L, "h"), (expire.Kind, expire.Released, expire.HoldId));
        Assert.Equal(LedgerErrorCodes.HoldClosed, (await Assert.ThrowsAsync<LedgerException>(() => account2.Execute(new CaptureHold("late", "h", 1)))).Code);
    }

    [Fact]
    public async Task Auto_reload_is_signalled_once_when_available_falls_below_the_threshold()
    {
        await using var silo = await LedgerSilo.StartAsync(Storage);
        var account = silo.Account("reload");
        using var signals = silo.Runtime.Events.Subscribe<AutoReloadRequested>(account.GetGrainId());
        await account.Execute(new OpenAccount(AutoReloadThreshold: 500));
        await account.Execute(new Deposit("dep", 1_000));
        await account.Execute(new Debit("d1", 400));
        Assert.False(signals.Reader.TryRead(out _));
        await account.Execute(new Debit("d2", 200));
        await account.Execute(new Debit("d3", 100));

        var signal = await signals.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(new AutoReloadRequested("reload", 400, 500, 4), signal);
        Assert.False(signals.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Two_activations_over_one_store_are_fenced_and_the_stale_one_reloads()
    {
        // A split brain: two silos each activate the same account. The store's sequence check lets only one win.
        await using var a = await LedgerSilo.StartAsync(Storage);
        await using var b = await LedgerSilo.StartAsync(Storage);
        await a.Account("split").Execute(new OpenAccount());
        Assert.Equal(1, (await b.Account("split").GetBalance()).Sequence); // b has loaded sequence 1

        await a.Account("split").Execute(new Deposit("from-a", 100));
        var stale = await Assert.ThrowsAsync<LedgerException>(() => b.Account("split").Execute(new Deposit("from-b", 7)));
        Assert.Equal(LedgerErrorCodes.Unavailable, stale.Code);
        Assert.True(stale.IsRetryable);

        var retried = await b.Account("split").Execute(new Deposit("from-b", 7));
        Assert.Equal(new Grid.Ledger.Accounts.Balance(107, 0, 3), retried.Balance);
        var journal = await a.Store.ReadJournalAsync("split", 0, 10, CancellationToken.None);
        Assert.Equal(["~open", "from-a", "from-b"], journal.Select(e => e.OperationId));
    }

    [Fact]
    public async Task Bad_commands_name_the_field_and_change_nothing()
    {
        await using var silo = await LedgerSilo.StartAsync(Storage);
        var account = silo.Account("bad");
        Assert.Equal(LedgerErrorCodes.NotFound, (await Assert.ThrowsAsync<LedgerException>(() => account.Execute(new Deposit("d", 1)))).Code);
        await account.Execute(new OpenAccount());
        Assert.Equal(LedgerErrorCodes.AlreadyExists, (await Assert.ThrowsAsync<LedgerException>(() => account.Execute(new OpenAccount()))).Code);
        Assert.Equal("amount", (await Assert.ThrowsAsync<LedgerException>(() => account.Execute(new Debit("x", 0)))).Field);
        Assert.Equal("operationId", (await Assert.ThrowsAsync<LedgerException>(() => account.Execute(new Debit("no spaces", 1)))).Field);
        Assert.Equal("amount", (await Assert.ThrowsAsync<LedgerException>(() => account.Execute(new Deposit("big", long.MaxValue)))).Field);
        Assert.Equal("reason", (await Assert.ThrowsAsync<LedgerException>(() => account.Execute(new Adjust("adj", 5, " ")))).Field);
        Assert.Equal(LedgerErrorCodes.NotFound, (await Assert.ThrowsAsync<LedgerException>(() => account.Execute(new VoidHold("v", "nope")))).Code);
        Assert.Equal(1, (await account.GetBalance()).Sequence);
    }

    [Fact]
    public async Task Frozen_accounts_take_deposits_but_refuse_spending_and_only_empty_accounts_close()
    {
        await using var silo = await LedgerSilo.StartAsync(Storage);
        var account = silo.Account("freeze");
        await account.Execute(new OpenAccount());
        await account.Execute(new Deposit("dep", 100));
        await account.Execute(new FreezeAccount("f", "chargeback review"));
        Assert.Equal(LedgerErrorCodes.AccountFrozen, (await Assert.ThrowsAsync<LedgerException>(() => account.Execute(new Debit("d", 1)))).Code);
        await account.Execute(new Deposit("dep-2", 50));
        await account.Execute(new UnfreezeAccount("u"));
        Assert.Equal(LedgerErrorCodes.AccountNotEmpty, (await Assert.ThrowsAsync<LedgerException>(() => account.Execute(new CloseAccount("c")))).Code);
        await account.Execute(new Refund("r", 150));
        await account.Execute(new CloseAccount("c2"));
        Assert.Equal(LedgerErrorCodes.AccountClosed, (await Assert.ThrowsAsync<LedgerException>(() => account.Execute(new Deposit("late", 1)))).Code);
        Assert.Equal(Grid.Ledger.Accounts.AccountStatus.Closed, (await account.Get())!.Status);
    }
}

public sealed class SqliteAccountGrainTests() : AccountGrainTests(StorageOptions.Sqlite);

public sealed class PostgresAccountGrainTests() : AccountGrainTests(StorageOptions.Postgres);
