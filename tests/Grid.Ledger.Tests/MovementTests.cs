using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Ledger.Journal;
using Grid.Ledger.Tests.Support;
using Xunit;

namespace Grid.Ledger.Tests;

/// <summary>Deposits, debits, refunds, reversals and adjustments: the entries they write and when they are refused.</summary>
public sealed class MovementTests
{
    [Fact]
    public void Deposit_and_debit_write_exact_entries()
    {
        var harness = LedgerHarness.Opened();
        var deposit = harness.Run(new Deposit("dep", 5_000, "pay_1", "{\"rail\":\"card\"}"));
        harness.Advance(TimeSpan.FromSeconds(1));
        var debit = harness.Run(new Debit("deb", 1_200, "spell"));

        Assert.Equal(
            new JournalEntry(2, JournalEntryKind.Deposit, 5_000, 0, 5_000, 0, "dep", null, null, null, null, "pay_1", "{\"rail\":\"card\"}", deposit.Request, LedgerHarness.Start),
            deposit);
        Assert.Equal(
            new JournalEntry(3, JournalEntryKind.Debit, 1_200, 0, 3_800, 0, "deb", null, null, null, null, "spell", null, debit.Request, LedgerHarness.Start.AddSeconds(1)),
            debit);
        Assert.Equal(new Grid.Ledger.Accounts.Balance(3_800, 0, 3), harness.Ledger.Balance);
    }

    [Fact]
    public void Debit_beyond_available_is_insufficient_funds_with_what_was_available_and_required()
    {
        var harness = LedgerHarness.Opened(deposit: 100);
        var refusal = harness.Refuse(new Debit("d", 101), LedgerErrorCodes.InsufficientFunds);
        Assert.Equal((100L, 101L), (refusal.Available, refusal.Required));
        Assert.Equal(0, harness.Run(new Debit("d", 100)).AvailableAfter); // exactly everything is fine
    }

    [Fact]
    public void Debit_may_use_the_overdraft_down_to_its_limit_and_not_one_credit_more()
    {
        var harness = LedgerHarness.Opened(deposit: 100, overdraftLimit: 50);
        harness.Refuse(new Debit("d1", 151), LedgerErrorCodes.InsufficientFunds);
        Assert.Equal(-50, harness.Run(new Debit("d1", 150)).AvailableAfter);
        var refusal = harness.Refuse(new Debit("d2", 1), LedgerErrorCodes.InsufficientFunds);
        Assert.Equal((-50L, 1L), (refusal.Available, refusal.Required));
    }

    [Fact]
    public void Refund_never_takes_available_below_zero_even_with_an_overdraft()
    {
        var harness = LedgerHarness.Opened(deposit: 100, overdraftLimit: 1_000);
        harness.Refuse(new Refund("r", 101), LedgerErrorCodes.InsufficientFunds);
        var refund = harness.Run(new Refund("r", 100, "pay_1"));
        Assert.Equal((JournalEntryKind.Refund, 100L, 0L, "pay_1"), (refund.Kind, refund.Amount, refund.AvailableAfter, refund.Reference));
    }

    [Fact]
    public void Reversal_follows_the_rail_even_past_the_overdraft_limit()
    {
        var harness = LedgerHarness.Opened(deposit: 100);
        harness.Run(new Debit("spend", 80));
        var reversal = harness.Run(new Reverse("chargeback", 100, "pay_1"));
        Assert.Equal((JournalEntryKind.Reversal, 100L, -80L), (reversal.Kind, reversal.Amount, reversal.AvailableAfter));
        harness.Refuse(new Debit("more", 1), LedgerErrorCodes.NegativeBalance);
        harness.Refuse(new PlaceHold("hold", 1), LedgerErrorCodes.NegativeBalance);
        Assert.Equal(new Grid.Ledger.Accounts.LedgerTotals(100, 100, 80, 0, 0, 0), harness.Ledger.ToSnapshot().Totals);
    }

    [Fact]
    public void A_reversal_kept_within_available_is_refused_past_it_and_changes_nothing()
    {
        var harness = LedgerHarness.Opened(deposit: 100);
        harness.Run(new Debit("moved-on", 80));
        var refused = harness.Refuse(new Reverse("reorged", 100, "pay_1", WithinAvailable: true), LedgerErrorCodes.InsufficientFunds);
        Assert.Equal((20L, 100L), (refused.Available!.Value, refused.Required!.Value));
        Assert.Equal(0L, harness.Run(new Reverse("reorged-part", 20, "pay_1", WithinAvailable: true)).AvailableAfter);
    }

    [Fact]
    public void Adjustments_go_either_way_carry_their_reason_and_are_never_zero()
    {
        var harness = LedgerHarness.Opened(deposit: 10);
        var down = harness.Run(new Adjust("fix-1", -30, "double credit"));
        Assert.Equal((JournalEntryKind.Adjustment, -30L, -20L, "double credit"), (down.Kind, down.Amount, down.AvailableAfter, down.Reference));
        Assert.Equal(5, harness.Run(new Adjust("fix-2", 25, "goodwill")).AvailableAfter);
        harness.Refuse(new Adjust("fix-3", 0, "nothing"), LedgerErrorCodes.ValidationFailed, "amount");
        harness.Refuse(new Adjust("fix-3", 1, "  "), LedgerErrorCodes.ValidationFailed, "reason");
        Assert.Equal(-5, harness.Ledger.ToSnapshot().Totals.Adjusted);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(9_007_199_254_740_992)]
    public void Movements_need_a_positive_amount_a_javascript_client_holds_exactly(long amount)
    {
        var harness = LedgerHarness.Opened(deposit: 10);
        harness.Refuse(new Deposit("x", amount), LedgerErrorCodes.ValidationFailed, "amount");
        harness.Refuse(new Debit("x", amount), LedgerErrorCodes.ValidationFailed, "amount");
        harness.Refuse(new Refund("x", amount), LedgerErrorCodes.ValidationFailed, "amount");
        harness.Refuse(new Reverse("x", amount), LedgerErrorCodes.ValidationFailed, "amount");
    }

    [Fact]
    public void References_and_metadata_have_bounded_lengths_and_ids_their_grammar()
    {
        var harness = LedgerHarness.Opened(deposit: 10);
        harness.Refuse(new Debit("x", 1, ""), LedgerErrorCodes.ValidationFailed, "reference");
        harness.Refuse(new Debit("x", 1, new string('r', 257)), LedgerErrorCodes.ValidationFailed, "reference");
        harness.Refuse(new Debit("x", 1, null, new string('m', 4_097)), LedgerErrorCodes.ValidationFailed, "metadata");
        harness.Refuse(new Debit("bad id", 1), LedgerErrorCodes.ValidationFailed, "operationId");
        harness.Refuse(new Debit(new string('o', 129), 1), LedgerErrorCodes.ValidationFailed, "operationId");
        // Text PostgreSQL cannot store is refused on every store alike (an embedded client sends it without the gateway).
        harness.Refuse(new Debit("x", 1, "a\0b"), LedgerErrorCodes.ValidationFailed, "reference");
        harness.Refuse(new Debit("x", 1, "lone \ud800 high"), LedgerErrorCodes.ValidationFailed, "reference");
        harness.Refuse(new Debit("x", 1, "\udc00 lone low"), LedgerErrorCodes.ValidationFailed, "reference");
        harness.Refuse(new Debit("x", 1, null, "ends high \ud83d"), LedgerErrorCodes.ValidationFailed, "metadata");
        harness.Refuse(new PlaceHold("h", 1, Reference: "\0"), LedgerErrorCodes.ValidationFailed, "reference");
        harness.Refuse(new Adjust("x", 1, "nul\0reason"), LedgerErrorCodes.ValidationFailed, "reason");
        Assert.Equal("spell \ud83e\ude84", harness.Run(new Debit("y", 1, "spell \ud83e\ude84")).Reference); // a pair is text like any other
        Assert.Equal(256, harness.Run(new Debit("x", 1, new string('r', 256), new string('m', 4_096))).Reference!.Length);
    }
}
