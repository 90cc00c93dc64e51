using Grid.Contracts.Chain;
using Grid.Grains.Chain;
using Grid.Grains.Tests.Support;
using Grid.Ledger.Commands;
using Grid.Ledger.Journal;
using Grid.Runtime;
using Grid.Runtime.Hosting;
using Grid.Runtime.Persistence;
using Grid.Runtime.Reminders;
using Grid.TestKit;
using Grid.Storage;
using Xunit;

namespace Grid.Grains.Tests.Chain;

/// <summary>
/// Linking a wallet takes what it paid in as a guest along to the account: a debit on the guest account and a
/// deposit on the linked one under one operation id, written down first so that a move cut short by a stop is
/// finished, once, by whatever reaches the wallet next. Both on SQLite and PostgreSQL.
/// </summary>
public abstract class WalletLinkMoveTests(string provider) : IAsyncLifetime
{
    private const string Wallet = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"; // EIP-55
    private static readonly string Guest = WalletAccountIds.For(Wallet);
    private LedgerStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await LedgerStorage.CreateAsync(provider);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task Linking_moves_the_guest_balance_once_and_a_second_link_moves_nothing()
    {
        await using var silo = await StartAsync();
        await FundGuestAsync(silo, 300);
        await silo.Account("acc").Execute(new OpenAccount());

        var linked = await silo.Grains.GetGrain<IWalletGrain>(Wallet).Link("acc");
        await silo.Grains.GetGrain<IWalletGrain>(Wallet).Link("acc");

        Assert.Equal("acc", linked.LinkedAccountId);
        Assert.Equal(0, (await silo.Account(Guest).GetBalance()).Available);
        Assert.Equal(300, (await silo.Account("acc").GetBalance()).Available);
        var debit = Assert.Single(await MovesAsync(silo, Guest));
        var deposit = Assert.Single(await MovesAsync(silo, "acc"));
        Assert.Equal((JournalEntryKind.Debit, 300L, $"wallet-link:{Wallet}"), (debit.Kind, debit.Amount, debit.Reference));
        Assert.Equal((JournalEntryKind.Deposit, 300L, debit.OperationId), (deposit.Kind, deposit.Amount, deposit.OperationId));

        // Unlinked and linked again: the guest account is empty, so nothing more moves.
        await silo.Grains.GetGrain<IWalletGrain>(Wallet).Unlink("acc");
        await silo.Grains.GetGrain<IWalletGrain>(Wallet).Link("acc");
        Assert.Single(await MovesAsync(silo, "acc"));
        Assert.Equal(300, (await silo.Account("acc").GetBalance()).Available);
    }

    [Fact]
    public async Task A_frozen_guest_keeps_its_balance_and_the_link_still_holds()
    {
        await using var silo = await StartAsync();
        await FundGuestAsync(silo, 50);
        await silo.Account(Guest).Execute(new FreezeAccount("freeze-guest", "chargeback review"));
        await silo.Account("acc").Execute(new OpenAccount());

        var linked = await silo.Grains.GetGrain<IWalletGrain>(Wallet).Link("acc");

        Assert.Equal("acc", linked.LinkedAccountId);
        Assert.Equal(50, (await silo.Account(Guest).GetBalance()).Available);
        Assert.Equal(0, (await silo.Account("acc").GetBalance()).Available);
        Assert.Empty(await MovesAsync(silo, "acc"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_move_cut_short_is_finished_once_by_the_next_call_after_a_restart(bool debitWasWritten)
    {
        var options = _storage.Options;
        await using (var silo = await StartAsync())
        {
            await FundGuestAsync(silo, 300);
            await silo.Account("acc").Execute(new OpenAccount());
            // What a silo leaves behind when it stops inside Link: the link and the move written down, maybe the debit done.
            await WriteCutMoveAsync(silo, "acc", 300);
            if (debitWasWritten)
            {
                await silo.Account(Guest).Execute(new Debit("wallet-link:cut:0", 300, $"wallet-link:{Wallet}"));
            }
        }

        await using (var restarted = await StartAsync())
        {
            // The owner links again (a retry of the request that was cut short): the move ends first.
            await restarted.Grains.GetGrain<IWalletGrain>(Wallet).Link("acc");
            await restarted.Grains.GetGrain<IWalletGrain>(Wallet).Link("acc");

            Assert.Equal(0, (await restarted.Account(Guest).GetBalance()).Available);
            Assert.Equal(300, (await restarted.Account("acc").GetBalance()).Available);
            Assert.Equal("wallet-link:cut:0", Assert.Single(await MovesAsync(restarted, Guest)).OperationId);
            Assert.Equal("wallet-link:cut:0", Assert.Single(await MovesAsync(restarted, "acc")).OperationId);
        }
    }

    [Fact]
    public async Task A_move_cut_short_is_finished_by_its_reminder_with_no_call_at_all()
    {
        var clock = new ManualTimeProvider();
        await using (var silo = await StartAsync(clock))
        {
            await FundGuestAsync(silo, 300);
            await silo.Account("acc").Execute(new OpenAccount());
            await WriteCutMoveAsync(silo, "acc", 300);
            await silo.Account(Guest).Execute(new Debit("wallet-link:cut:0", 300, $"wallet-link:{Wallet}"));
            await silo.Service<IReminderTable>().UpsertAsync(
                new ReminderEntry(new GrainId("wallet", Wallet), "guest-balance-move", clock.GetUtcNow().AddSeconds(30), TimeSpan.FromSeconds(30)),
                CancellationToken.None);
        }

        clock.Advance(TimeSpan.FromMinutes(1));
        await using var restarted = await StartAsync(clock);
        await Eventually.TrueAsync(async () => (await restarted.Account("acc").GetBalance()).Available == 300, "the reminder finished the move");
        await Eventually.TrueAsync(
            async () => !(await restarted.Service<IReminderTable>().ReadAllAsync(CancellationToken.None)).Any(r => r.Name == "guest-balance-move"),
            "the finished move's reminder is gone");
        Assert.Equal(0, (await restarted.Account(Guest).GetBalance()).Available);
        Assert.Single(await MovesAsync(restarted, "acc"));
    }

    [Fact]
    public async Task A_guest_that_spent_some_of_it_meanwhile_moves_what_is_left_under_the_next_id()
    {
        await using (var silo = await StartAsync())
        {
            await FundGuestAsync(silo, 300);
            await silo.Account("acc").Execute(new OpenAccount());
            await WriteCutMoveAsync(silo, "acc", 300);
            await silo.Account(Guest).Execute(new Debit("spent-meanwhile", 120));
        }

        await using var restarted = await StartAsync();
        await restarted.Grains.GetGrain<IWalletGrain>(Wallet).Link("acc");

        Assert.Equal(180, (await restarted.Account("acc").GetBalance()).Available);
        Assert.Equal(0, (await restarted.Account(Guest).GetBalance()).Available);
        var debit = Assert.Single(await MovesAsync(restarted, Guest));
        Assert.Equal(("wallet-link:cut:1", 180L), (debit.OperationId, debit.Amount));
        Assert.Equal("wallet-link:cut:1", Assert.Single(await MovesAsync(restarted, "acc")).OperationId);
    }

    [Fact]
    public async Task Credits_an_account_closed_meanwhile_refuses_go_back_to_the_guest_and_follow_the_next_link()
    {
        await using var silo = await StartAsync();
        await FundGuestAsync(silo, 300);
        await silo.Account("gone").Execute(new OpenAccount());
        await silo.Account("gone").Execute(new CloseAccount("close-gone"));
        await silo.Account("acc").Execute(new OpenAccount());
        await WriteCutMoveAsync(silo, "gone", 300);

        await silo.Grains.GetGrain<IWalletGrain>(Wallet).Link("acc");

        var guestMoves = await MovesAsync(silo, Guest);
        Assert.Equal(
            [("wallet-link:cut:0", JournalEntryKind.Debit), ("wallet-link:cut:0:back", JournalEntryKind.Deposit)],
            guestMoves.Take(2).Select(e => (e.OperationId, e.Kind)));
        Assert.Empty(await MovesAsync(silo, "gone"));
        Assert.Equal(300, (await silo.Account("acc").GetBalance()).Available);
        Assert.Equal(0, (await silo.Account(Guest).GetBalance()).Available);
    }

    [Fact]
    public async Task A_wallet_whose_account_was_closed_is_its_owners_again_and_its_payments_go_to_its_guest_account()
    {
        await using var silo = await StartAsync();
        await silo.Account("acc").Execute(new OpenAccount());
        var wallet = silo.Grains.GetGrain<IWalletGrain>(Wallet);
        await wallet.Link("acc");
        Assert.Equal("acc", await wallet.ResolveAccount());

        // The operator closes the (empty) account; nothing told the wallet. Its next payment or sign-in resolves to its
        // guest account instead of to an account that refuses every credit (each payment would wait for a person).
        await silo.Account("acc").Execute(new CloseAccount("close-acc"));
        Assert.Equal(Guest, await wallet.ResolveAccount());
        Assert.Null((await wallet.Get()).LinkedAccountId);
        await silo.Account(Guest).Execute(new Deposit("chain-credit", 40));
        Assert.Equal(40, (await silo.Account(Guest).GetBalance()).Available);

        var relink = await Assert.ThrowsAsync<Grid.Ledger.Errors.LedgerException>(() => wallet.Link("acc"));
        Assert.Equal("account_closed", relink.Code);
    }

    [Fact]
    public async Task A_move_refused_by_its_closed_account_comes_back_and_the_link_goes_so_a_retried_link_cannot_take_it_again()
    {
        await using var silo = await StartAsync();
        await FundGuestAsync(silo, 300);
        await silo.Account("gone").Execute(new OpenAccount());
        await WriteCutMoveAsync(silo, "gone", 300);
        await silo.Account("gone").Execute(new CloseAccount("close-gone"));

        var wallet = silo.Grains.GetGrain<IWalletGrain>(Wallet);
        var relink = await Assert.ThrowsAsync<Grid.Ledger.Errors.LedgerException>(() => wallet.Link("gone"));
        Assert.Equal("account_closed", relink.Code);
        await Assert.ThrowsAsync<Grid.Ledger.Errors.LedgerException>(() => wallet.Link("gone"));

        Assert.Null((await wallet.Get()).LinkedAccountId);
        Assert.Equal(Guest, await wallet.ResolveAccount());
        Assert.Equal(300, (await silo.Account(Guest).GetBalance()).Available);
        Assert.Equal(
            [("wallet-link:cut:0", JournalEntryKind.Debit), ("wallet-link:cut:0:back", JournalEntryKind.Deposit)],
            (await MovesAsync(silo, Guest)).Select(e => (e.OperationId, e.Kind)));
    }

    [Fact]
    public async Task A_move_whose_id_another_command_took_is_parked_for_a_person_and_holds_up_nothing()
    {
        await using (var silo = await StartAsync())
        {
            await FundGuestAsync(silo, 300);
            await silo.Account("acc").Execute(new OpenAccount());
            await WriteCutMoveAsync(silo, "acc", 300);
            await silo.Account(Guest).Execute(new Debit("wallet-link:cut:0", 100, "someone-else"));
        }

        await using var restarted = await StartAsync();
        var wallet = restarted.Grains.GetGrain<IWalletGrain>(Wallet);
        await wallet.Link("acc");
        await wallet.Link("acc"); // not held up, and no second move begins past the stuck one
        await wallet.Unlink("acc");

        Assert.Equal(200, (await restarted.Account(Guest).GetBalance()).Available);
        Assert.Equal(0, (await restarted.Account("acc").GetBalance()).Available);
        var stored = await restarted.Service<IGrainStateStore>().ReadAsync(new GrainId("wallet", Wallet), "wallet", CancellationToken.None);
        Assert.Contains("idempotency_conflict", stored!.Payload, StringComparison.Ordinal);
    }

    private Task<LedgerSilo> StartAsync(TimeProvider? clock = null) =>
        LedgerSilo.StartAsync(_storage.Options, clock, services: s => s.AddGrain<WalletGrain>());

    /// <summary>The wallet's state as Link leaves it just before the move's first step: linked, the move written down.</summary>
    private static async Task WriteCutMoveAsync(LedgerSilo silo, string accountId, long amount)
    {
        var cut = new WalletState
        {
            LinkedAccountId = accountId,
            LinkedAt = DateTimeOffset.UnixEpoch.AddDays(20_000),
            Move = new GuestBalanceMove { MoveId = "cut", ToAccountId = accountId, Amount = amount },
        };
        var written = await silo.Service<IGrainStateStore>().WriteAsync(
            new GrainId("wallet", Wallet), "wallet", new GrainStateSerializer().Serialize(cut), expectedVersion: null, CancellationToken.None);
        Assert.NotNull(written);
    }

    private static async Task FundGuestAsync(LedgerSilo silo, long credits)
    {
        await silo.Account(Guest).Execute(new OpenAccount(Name: Wallet, Guest: true));
        await silo.Account(Guest).Execute(new Deposit("chain-walk-in", credits));
    }

    private static async Task<IReadOnlyList<JournalEntry>> MovesAsync(LedgerSilo silo, string accountId) =>
        [.. (await silo.Store.ReadJournalAsync(accountId, 0, 100, CancellationToken.None)).Where(e => e.OperationId.StartsWith("wallet-link:", StringComparison.Ordinal))];
}

public sealed class SqliteWalletLinkMoveTests() : WalletLinkMoveTests(StorageOptions.Sqlite);

public sealed class PostgresWalletLinkMoveTests() : WalletLinkMoveTests(StorageOptions.Postgres);
