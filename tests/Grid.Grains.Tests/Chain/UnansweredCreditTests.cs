using System.Globalization;
using Grid.Chain.Rpc;
using Grid.Contracts.Accounts;
using Grid.Contracts.Chain;
using Grid.Contracts.Payments;
using Grid.Grains.Chain;
using Grid.Grains.Tests.Support;
using Grid.Ledger.Commands;
using Grid.Ledger.Journal;
using Grid.Runtime;
using Grid.Runtime.Hosting;
using Grid.Runtime.Persistence;
using Grid.Storage;
using Grid.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Grid.Grains.Tests.Chain;

/// <summary>
/// A chain payment whose credit was sent but whose answer it never wrote down (a timeout, a stop) does not know
/// whether the account was credited. When the deposit then leaves the chain, the credit must not stand: the payment
/// sends the very same credit again, so the account answers with what it made (or makes it now), and takes it back.
/// Both on SQLite and PostgreSQL.
/// </summary>
public abstract class UnansweredCreditTests(string provider) : IAsyncLifetime
{
    private const ulong ChainId = ChainPaymentSilo.ChainId;
    private const string Payer = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    private const string Account = "acc";
    private const long Credits = ChainPaymentSilo.CreditsPerEth; // 1 ETH

    private static readonly ChainDeposit OneEther = new(
        ChainId, "0x" + new string('a', 64), 0, ChainDepositKind.Transfer, Payer, null, "1000000000000000000", null);

    private static readonly string PaymentId = ChainPaymentIds.ForDeposit(OneEther);

    private LedgerStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await LedgerStorage.CreateAsync(provider);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_credit_made_whose_answer_was_lost_is_taken_back_when_its_deposit_leaves_the_chain(bool reverted)
    {
        await using (var silo = await StartAsync())
        {
            await silo.Account(Account).Execute(new OpenAccount());
            // The first write fixes the credit; the second, after the account made it, is lost.
            silo.Service<FailingGrainStateStore>().FailWrite(StateName, 2);
            await Assert.ThrowsAnyAsync<Exception>(() => Payment(silo).Confirm(Sighting(block: 10)));
            Assert.Equal(Credits, (await silo.Account(Account).GetBalance()).Available);
        }

        await using var restarted = await StartAsync();
        Assert.Equal(PaymentStatus.Confirming, (await Payment(restarted).Get())!.Status);

        await GoneAsync(restarted, reverted);

        Assert.Equal(0, (await restarted.Account(Account).GetBalance()).Available);
        Assert.Equal([JournalEntryKind.Deposit, JournalEntryKind.Reversal], await MovesAsync(restarted));
        var payment = (await Payment(restarted).Get())!;
        Assert.Equal((PaymentStatus.Reversed, 0L, Credits), (payment.Status, payment.Credited, payment.Reversed));

        // Put back by a later block, the deposit is credited once more, under the next number.
        Assert.Equal(ConfirmOutcome.Credited, await Payment(restarted).Confirm(Sighting(block: 11)));
        Assert.Equal(Credits, (await restarted.Account(Account).GetBalance()).Available);
        Assert.Equal([JournalEntryKind.Deposit, JournalEntryKind.Reversal, JournalEntryKind.Deposit], await MovesAsync(restarted));
    }

    [Fact]
    public async Task A_reversal_whose_answer_was_lost_is_sent_again_before_a_returning_deposit_is_credited()
    {
        await using (var silo = await StartAsync())
        {
            await silo.Account(Account).Execute(new OpenAccount());
            Assert.Equal(ConfirmOutcome.Credited, await Payment(silo).Confirm(Sighting(block: 10)));
            // The reversal is written down as sent, made, and then its answer is lost (the write after it fails).
            silo.Service<FailingGrainStateStore>().FailWrite(StateName, 2);
            await Assert.ThrowsAnyAsync<Exception>(() => Payment(silo).Revert(OneEther));
            Assert.Equal(0, (await silo.Account(Account).GetBalance()).Available);
        }

        // Mined again before the watcher asked once more: the payment still says credited, and must not answer so.
        await using var restarted = await StartAsync();
        Assert.Equal(ConfirmOutcome.Credited, await Payment(restarted).Confirm(Sighting(block: 11)));

        Assert.Equal(Credits, (await restarted.Account(Account).GetBalance()).Available);
        Assert.Equal([JournalEntryKind.Deposit, JournalEntryKind.Reversal, JournalEntryKind.Deposit], await MovesAsync(restarted));
        var payment = (await Payment(restarted).Get())!;
        Assert.Equal((PaymentStatus.Credited, Credits, Credits), (payment.Status, payment.Credited, payment.Reversed));
    }

    [Fact]
    public async Task A_credit_sent_but_never_made_is_made_and_taken_back_so_no_late_arrival_can_stand()
    {
        await using var silo = await StartAsync();
        await silo.Account(Account).Execute(new OpenAccount());
        await WriteUnansweredAsync(silo, Account);

        await Payment(silo).Drop(OneEther);
        await Payment(silo).Drop(OneEther); // told twice: nothing more moves

        Assert.Equal(0, (await silo.Account(Account).GetBalance()).Available);
        Assert.Equal([JournalEntryKind.Deposit, JournalEntryKind.Reversal], await MovesAsync(silo, Account));
        Assert.Equal(PaymentStatus.Reversed, (await Payment(silo).Get())!.Status);
    }

    [Fact]
    public async Task A_credit_made_just_now_to_a_linked_guest_in_debt_is_undone_in_full()
    {
        // A linked wallet's guest gives back only what it has of a credit that may have moved on; one the resend made just
        // now moved nowhere, and its reversal must undo it whatever the guest owes (within what it has, it would be refused).
        var guest = WalletAccountIds.For(Payer);
        await using var silo = await StartAsync();
        await silo.Account(guest).Execute(new OpenAccount(Name: Payer, Guest: true));
        await silo.Account(Account).Execute(new OpenAccount());
        await silo.Grains.GetGrain<IWalletGrain>(Payer).Link(Account);
        await silo.Account(guest).Execute(new Adjust("owed", -300, "a reversal the guest could not cover"));
        await WriteUnansweredAsync(silo, guest);

        await Payment(silo).Drop(OneEther);

        Assert.Equal(-300, (await silo.Account(guest).GetBalance()).Available);
        Assert.Equal([JournalEntryKind.Adjustment, JournalEntryKind.Deposit, JournalEntryKind.Reversal], await MovesAsync(silo, guest));
        Assert.Equal(PaymentStatus.Reversed, (await Payment(silo).Get())!.Status);
    }

    [Fact]
    public async Task A_credit_the_account_refuses_on_the_resend_moves_nothing()
    {
        await using var silo = await StartAsync();
        await silo.Account(Account).Execute(new OpenAccount());
        await silo.Account(Account).Execute(new CloseAccount("close"));
        await WriteUnansweredAsync(silo, Account);

        await Payment(silo).Drop(OneEther);

        Assert.Equal([JournalEntryKind.Close], await MovesAsync(silo, Account));
        var payment = (await Payment(silo).Get())!;
        Assert.Equal((PaymentStatus.Pending, 0L, 0L), (payment.Status, payment.Credited, payment.Reversed));
    }

    [Fact]
    public async Task A_deposit_never_credited_leaves_the_chain_with_nothing_sent()
    {
        await using var silo = await StartAsync();
        await silo.Account(Account).Execute(new OpenAccount());
        await Payment(silo).Observe(Sighting(block: 10) with { Confirmations = 3 });

        await Payment(silo).Drop(OneEther);

        Assert.Empty(await MovesAsync(silo));
        Assert.Equal(PaymentStatus.Pending, (await Payment(silo).Get())!.Status);
    }

    [Fact]
    public async Task A_deposit_under_the_key_of_the_payments_own_that_moves_other_value_moves_nothing()
    {
        // The key counts the grid's logs in a transaction: a token listed since gives it to another log, here a token
        // transfer where the payment's deposit was ETH. Taken for the payment's own, it would be lost as a repeat, and its
        // drop would take back the ETH credit whose deposit stands.
        var other = OneEther with { Kind = ChainDepositKind.Transfer, Token = "0x" + new string('b', 40), Amount = "5000000" };
        await using var silo = await StartAsync();
        await silo.Account(Account).Execute(new OpenAccount());
        Assert.Equal(ConfirmOutcome.Credited, await Payment(silo).Confirm(Sighting(block: 10)));

        await Payment(silo).Observe(Sighting(block: 11) with { Deposit = other, Confirmations = 1 });
        Assert.Equal(ConfirmOutcome.Review, await Payment(silo).Confirm(Sighting(block: 11) with { Deposit = other }));
        await Payment(silo).Drop(other);
        await Payment(silo).Revert(other);

        Assert.Equal(Credits, (await silo.Account(Account).GetBalance()).Available);
        Assert.Equal([JournalEntryKind.Deposit], await MovesAsync(silo));
        var payment = (await Payment(silo).Get())!;
        Assert.Equal((PaymentStatus.Credited, Credits, 0L, 12), (payment.Status, payment.Credited, payment.Reversed, payment.Confirmations));
        Assert.Equal(ConfirmOutcome.Credited, await Payment(silo).Confirm(Sighting(block: 10))); // its own deposit: a repeat
    }

    private static string StateName => "chain-payment";

    /// <summary>The payment's state as a stop right after the credit was sent leaves it: fixed, sent, unanswered.</summary>
    private static async Task WriteUnansweredAsync(LedgerSilo silo, string accountId)
    {
        var unanswered = new ChainPaymentState
        {
            Exists = true,
            Kind = ChainPaymentKind.Deposit,
            ChainId = ChainId,
            Token = WatchedChain.Ether,
            Wallet = Payer,
            AccountId = accountId,
            TokenAmount = OneEther.Amount,
            Deposit = OneEther,
            OnChain = true,
            BlockNumber = 10,
            BlockHash = BlockHash(10),
            Confirmations = 12,
            Required = 12,
            PendingCredit = Credits,
        };
        var written = await silo.Service<IGrainStateStore>().WriteAsync(
            new GrainId(GrainTypeRegistry.NameOf(typeof(ChainPaymentGrain)), PaymentId), StateName,
            new GrainStateSerializer().Serialize(unanswered), expectedVersion: null, CancellationToken.None);
        Assert.NotNull(written);
    }

    private static IChainPaymentGrain Payment(LedgerSilo silo) => silo.Grains.GetGrain<IChainPaymentGrain>(PaymentId);

    private static DepositSighting Sighting(ulong block) =>
        new(OneEther, block, BlockHash(block), DateTimeOffset.UnixEpoch.AddDays(20_000), 12, 12, Account);

    private static string BlockHash(ulong block) => "0x" + block.ToString("x64", CultureInfo.InvariantCulture);

    private static Task GoneAsync(LedgerSilo silo, bool reverted) =>
        reverted ? Payment(silo).Revert(OneEther) : Payment(silo).Drop(OneEther);

    private static async Task<IReadOnlyList<JournalEntryKind>> MovesAsync(LedgerSilo silo, string accountId = Account) =>
        [.. (await silo.Store.ReadJournalAsync(accountId, 0, 100, CancellationToken.None)).Where(e => e.Kind != JournalEntryKind.Open).Select(e => e.Kind)];

    private Task<LedgerSilo> StartAsync() => ChainPaymentSilo.StartAsync(_storage.Options);
}

public sealed class SqliteUnansweredCreditTests() : UnansweredCreditTests(StorageOptions.Sqlite);

public sealed class PostgresUnansweredCreditTests() : UnansweredCreditTests(StorageOptions.Postgres);
