using System.Globalization;
using Grid.Contracts.Accounts;
using Grid.Contracts.Chain;
using Grid.Contracts.Payments;
using Grid.Grains.Tests.Support;
using Grid.Ledger.Commands;
using Grid.Ledger.Journal;
using Grid.Runtime;
using Grid.Storage;
using Xunit;

namespace Grid.Grains.Tests.Chain;

/// <summary>
/// A guest credit whose deposit leaves the chain while the wallet is being linked: how far its reversal may go is
/// decided in the wallet's turn, together with making it, so a link's move of the guest balance cannot fall between
/// the two and leave the guest in a debt beside the credits kept on the linked account. Both on SQLite and PostgreSQL.
/// </summary>
public abstract class GuestReversalRaceTests(string provider) : IAsyncLifetime
{
    private const string Payer = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"; // EIP-55
    private const string Linked = "acc";
    private const long Credits = ChainPaymentSilo.CreditsPerEth;
    private static readonly string Guest = WalletAccountIds.For(Payer);

    private static readonly ChainDeposit OneEther = new(
        ChainPaymentSilo.ChainId, "0x" + new string('c', 64), 0, ChainDepositKind.Transfer, Payer, null, "1000000000000000000", null);

    private LedgerStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await LedgerStorage.CreateAsync(provider);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task A_link_made_while_a_guest_credit_is_being_reversed_leaves_the_shortfall_to_a_person_not_a_guest_debt()
    {
        await using var silo = await ChainPaymentSilo.StartAsync(_storage.Options);
        await silo.Account(Guest).Execute(new OpenAccount(Name: Payer, Guest: true));
        await silo.Account(Linked).Execute(new OpenAccount());
        Assert.Equal(ConfirmOutcome.Credited, await Payment(silo).Confirm(Sighting(block: 10)));
        Assert.Equal(Credits, (await silo.Account(Guest).GetBalance()).Available);

        // The reversal is held at the write that marks it sent, just before it goes out; meanwhile the wallet is linked
        // and its move takes the credit along.
        var (paused, release) = silo.Service<FailingGrainStateStore>().PauseNextWrite("chain-payment");
        var reverting = Payment(silo).Revert(OneEther);
        await paused.WaitAsync(TimeSpan.FromSeconds(10));
        await silo.Grains.GetGrain<IWalletGrain>(Payer).Link(Linked);
        Assert.Equal((0L, Credits), ((await silo.Account(Guest).GetBalance()).Available, (await silo.Account(Linked).GetBalance()).Available));
        release();
        await reverting;

        var guest = (await silo.Account(Guest).Get())!;
        Assert.Equal((0L, false), (guest.Balance.Available, guest.InDebt));
        Assert.Equal([JournalEntryKind.Deposit, JournalEntryKind.Debit], await MovesAsync(silo, Guest));
        Assert.Equal(Credits, (await silo.Account(Linked).GetBalance()).Available);
        var payment = (await Payment(silo).Get())!;
        Assert.Equal((PaymentStatus.Review, 0L), (payment.Status, payment.Reversed));
    }

    [Fact]
    public async Task An_unlinked_guest_that_spent_its_own_credit_goes_into_debt_for_it()
    {
        // Nothing moved it on: the guest spent it, and owes it like any account whose rail took its money back.
        await using var silo = await ChainPaymentSilo.StartAsync(_storage.Options);
        await silo.Account(Guest).Execute(new OpenAccount(Name: Payer, Guest: true));
        Assert.Equal(ConfirmOutcome.Credited, await Payment(silo).Confirm(Sighting(block: 10)));
        await silo.Account(Guest).Execute(new Debit("spent", 600));

        await Payment(silo).Revert(OneEther);

        var guest = (await silo.Account(Guest).Get())!;
        Assert.Equal((400L - Credits, true), (guest.Balance.Available, guest.InDebt));
        Assert.Equal([JournalEntryKind.Deposit, JournalEntryKind.Debit, JournalEntryKind.Reversal], await MovesAsync(silo, Guest));
        var payment = (await Payment(silo).Get())!;
        Assert.Equal((PaymentStatus.Reversed, Credits), (payment.Status, payment.Reversed));
    }

    private static IChainPaymentGrain Payment(LedgerSilo silo) => silo.Grains.GetGrain<IChainPaymentGrain>(ChainPaymentIds.ForDeposit(OneEther));

    private static DepositSighting Sighting(ulong block) =>
        new(OneEther, block, "0x" + block.ToString("x64", CultureInfo.InvariantCulture), DateTimeOffset.UnixEpoch.AddDays(20_000), 12, 12, Guest);

    private static async Task<IReadOnlyList<JournalEntryKind>> MovesAsync(LedgerSilo silo, string accountId) =>
        [.. (await silo.Store.ReadJournalAsync(accountId, 0, 100, CancellationToken.None)).Where(e => e.Kind != JournalEntryKind.Open).Select(e => e.Kind)];
}

public sealed class SqliteGuestReversalRaceTests() : GuestReversalRaceTests(StorageOptions.Sqlite);

public sealed class PostgresGuestReversalRaceTests() : GuestReversalRaceTests(StorageOptions.Postgres);
