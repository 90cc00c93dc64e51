using System.Net;
using System.Text.Json;
using Grid.Gateway.Tests.Support;
using Grid.Ledger.Persistence;
using Grid.Stripe.Events;
using Grid.Stripe.TestKit;
using Grid.Stripe.TestKit.Events;
using Grid.Stripe.TestKit.Objects;

namespace Grid.Gateway.Tests.Payments;

/// <summary>
/// What Stripe takes back: refunds (partial too) are reversed, a dispute holds the disputed credits until it closes
/// (won: released; lost: reversed), and a reversal larger than what is available takes the account negative and
/// stops its debits and holds until a deposit brings it back.
/// </summary>
public sealed class CardReversalTests(CardSiloFixture card) : IClassFixture<CardSiloFixture>
{
    [Fact]
    public async Task Partial_then_full_refund_reverses_the_refunded_part_each_time()
    {
        var (account, paymentId, charge) = await CreditedAsync("credits-2000");
        var partial = charge with { AmountRefunded = 50 };
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.ChargeRefunded(StripeTestIds.Event(), partial))));
        Assert.Equal(1_500, await card.AvailableAsync(account));
        Assert.Equal("refunded", await card.PaymentStatusAsync(paymentId));

        var full = charge with { AmountRefunded = 200 };
        var fullEvent = StripeEvents.ChargeRefunded(StripeTestIds.Event(), full, previousAmountRefunded: 50);
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(fullEvent)));
        Assert.Equal("duplicate", CardSiloFixture.Outcome(await card.DeliverAsync(fullEvent)));
        // The earlier, lower total arriving again under a new id (a late retry) takes nothing more.
        Assert.Equal("stale", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.ChargeRefunded(StripeTestIds.Event(), partial))));
        Assert.Equal(0, await card.AvailableAsync(account));

        var reversals = (await card.Api.JournalAsync(account)).Where(e => e.GetProperty("kind").GetString() == "reversal").ToList();
        Assert.Equal([500L, 1_500L], reversals.Select(e => e.GetProperty("amount").GetInt64()));
        Assert.All(reversals, e => Assert.Equal(paymentId, e.GetProperty("reference").GetString()));
    }

    [Fact]
    public async Task A_won_dispute_holds_then_releases()
    {
        var (account, paymentId, charge) = await CreditedAsync("credits-2000");
        var dispute = Dispute(charge, 100);
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.ChargeDisputeCreated(StripeTestIds.Event(), dispute))));
        var held = (await card.Api.GetAsync($"/v1/accounts/{account}")).Json.GetProperty("balance");
        Assert.Equal((1_000L, 1_000L), (held.GetProperty("available").GetInt64(), held.GetProperty("held").GetInt64()));
        Assert.Equal("disputed", await card.PaymentStatusAsync(paymentId));

        // The dispute's hold is the rail's: no caller may void or capture it, nor use a rail's operation id.
        var holdId = (await card.Api.JournalAsync(account)).Single(e => e.GetProperty("kind").GetString() == "hold").GetProperty("holdId").GetString()!;
        Assert.StartsWith("card:", holdId, StringComparison.Ordinal);
        var voided = await card.Api.PostAsync($"/v1/accounts/{account}/holds/{holdId}/void", new { operationId = "release-it" });
        Assert.Equal((HttpStatusCode.BadRequest, "validation_failed"), (voided.Status, voided.Code));
        var captured = await card.Api.PostAsync($"/v1/accounts/{account}/holds/{holdId}/capture", new { operationId = "take-it", amount = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, captured.Status);
        var squatted = await card.Api.PostAsync($"/v1/accounts/{account}/debits", new { operationId = $"card:{paymentId}:refund:1", amount = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, squatted.Status);
        Assert.Equal(1_000, await card.AvailableAsync(account));

        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.ChargeDisputeClosed(StripeTestIds.Event(), dispute, won: true))));
        Assert.Equal(2_000, await card.AvailableAsync(account));
        Assert.Equal("credited", await card.PaymentStatusAsync(paymentId));
    }

    [Fact]
    public async Task A_dispute_closed_with_a_status_the_grid_does_not_know_keeps_its_hold_for_a_person()
    {
        var (account, paymentId, charge) = await CreditedAsync("credits-2000");
        var dispute = Dispute(charge, 100);
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.ChargeDisputeCreated(StripeTestIds.Event(), dispute))));

        // Neither won nor lost as far as the grid knows: nothing released, nothing reversed.
        var closed = StripeObjectJson.Dispute(dispute with { Status = "arbitration" }, DateTimeOffset.UtcNow.AddDays(-30));
        Assert.Equal("ignored", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.Event(StripeTestIds.Event(), StripeEventTypes.ChargeDisputeClosed, closed))));

        var balance = (await card.Api.GetAsync($"/v1/accounts/{account}")).Json.GetProperty("balance");
        Assert.Equal((1_000L, 1_000L), (balance.GetProperty("available").GetInt64(), balance.GetProperty("held").GetInt64()));
        Assert.Equal("disputed", await card.PaymentStatusAsync(paymentId));
    }

    [Fact]
    public async Task A_lost_dispute_after_spending_takes_the_account_negative_and_stops_debits_until_a_deposit()
    {
        var (account, paymentId, charge) = await CreditedAsync("credits-2000");
        var debit = await card.Api.PostAsync($"/v1/accounts/{account}/debits", new { operationId = "spend", amount = 1_800 });
        Assert.Equal(HttpStatusCode.OK, debit.Status);

        var dispute = Dispute(charge, 200);
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.ChargeDisputeCreated(StripeTestIds.Event(), dispute))));
        Assert.Equal(-1_800, await card.AvailableAsync(account)); // the hold is imposed, even beyond what is available
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.ChargeDisputeClosed(StripeTestIds.Event(), dispute, won: false))));

        var after = (await card.Api.GetAsync($"/v1/accounts/{account}")).Json;
        Assert.Equal(-1_800, CardSiloFixture.Available(after));
        Assert.Equal(0, after.GetProperty("balance").GetProperty("held").GetInt64());
        Assert.True(after.GetProperty("inDebt").GetBoolean());
        Assert.Equal("reversed", await card.PaymentStatusAsync(paymentId));

        var refused = await card.Api.PostAsync($"/v1/accounts/{account}/debits", new { operationId = "spend-more", amount = 1 });
        Assert.Equal(HttpStatusCode.PaymentRequired, refused.Status);
        Assert.Equal("negative_balance", refused.Code);
        var hold = await card.Api.PostAsync($"/v1/accounts/{account}/holds", new { operationId = "hold-more", amount = 1 });
        Assert.Equal("negative_balance", hold.Code);

        // Visible in the journal: the forced hold, the reversal and then the hold's release (so the disputed credits are
        // never spendable in between), all with the payment as reference.
        var journal = await card.Api.JournalAsync(account);
        Assert.Equal(
            ["open", "deposit", "debit", "hold", "reversal", "void"],
            journal.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal(-1_800, journal[^1].GetProperty("available").GetInt64());

        await card.Api.DepositAsync(account, "settle-debt", 1_900);
        Assert.False((await card.Api.GetAsync($"/v1/accounts/{account}")).Json.GetProperty("inDebt").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await card.Api.PostAsync($"/v1/accounts/{account}/debits", new { operationId = "spend-again", amount = 50 })).Status);
    }

    [Fact]
    public async Task An_account_using_its_overdraft_is_in_debt_for_what_a_dispute_holds_and_back_to_its_overdraft_when_the_dispute_is_won()
    {
        var (account, _, charge) = await CreditedAsync("credits-2000", overdraftLimit: 1_000);
        Assert.Equal(HttpStatusCode.OK, (await card.Api.PostAsync($"/v1/accounts/{account}/debits", new { operationId = "spend", amount = 2_500 })).Status);

        var dispute = Dispute(charge, 200);
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.ChargeDisputeCreated(StripeTestIds.Event(), dispute))));
        var during = (await card.Api.GetAsync($"/v1/accounts/{account}")).Json;
        Assert.Equal((-2_500L, true, -500L), (CardSiloFixture.Available(during), during.GetProperty("inDebt").GetBoolean(), during.GetProperty("debtFloor").GetInt64()));
        Assert.Equal("negative_balance", (await card.Api.PostAsync($"/v1/accounts/{account}/debits", new { operationId = "spend-more", amount = 1 })).Code);

        // Won: the hold goes and with it the debt; the overdraft it was granted is its own again, as before the dispute.
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.ChargeDisputeClosed(StripeTestIds.Event(), dispute, won: true))));
        var after = (await card.Api.GetAsync($"/v1/accounts/{account}")).Json;
        Assert.Equal((-500L, false, 0L), (CardSiloFixture.Available(after), after.GetProperty("inDebt").GetBoolean(), after.GetProperty("debtFloor").GetInt64()));
        var spent = await card.Api.PostAsync($"/v1/accounts/{account}/debits", new { operationId = "spend-more", amount = 400 });
        Assert.Equal(HttpStatusCode.OK, spent.Status);
        Assert.Equal(-900, spent.Json.GetProperty("balance").GetProperty("available").GetInt64());
        var stored = LedgerJson.Deserialize(await card.AccountSnapshotAsync(account));
        Assert.Equal((-900L, false, 0L), (stored.Available, stored.InDebt, stored.DebtFloor));
    }

    [Fact]
    public async Task A_refund_made_while_an_inquiry_is_open_takes_the_credits_back_once_and_the_closed_inquiry_releases_its_hold()
    {
        var (account, paymentId, _, inquiry) = await InquiryAnsweredWithARefundAsync();

        var closed = StripeEvents.Event(
            StripeTestIds.Event(), StripeEventTypes.ChargeDisputeClosed, StripeObjectJson.Dispute(inquiry with { Status = "warning_closed" }, DateTimeOffset.UtcNow));
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(closed)));
        var after = (await card.Api.GetAsync($"/v1/accounts/{account}")).Json.GetProperty("balance");
        Assert.Equal((0L, 0L), (after.GetProperty("available").GetInt64(), after.GetProperty("held").GetInt64()));
        var journal = await card.Api.JournalAsync(account);
        Assert.Equal(["open", "deposit", "hold", "reversal", "void"], journal.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal(2_000L, journal.Single(e => e.GetProperty("kind").GetString() == "reversal").GetProperty("amount").GetInt64());
        Assert.Equal("refunded", await card.PaymentStatusAsync(paymentId));
    }

    [Fact]
    public async Task A_dispute_lost_after_a_refund_took_its_credits_takes_nothing_twice_and_is_kept_for_a_person()
    {
        var (account, paymentId, _, inquiry) = await InquiryAnsweredWithARefundAsync();

        // The customer got the money back twice: the loss takes nothing more, its hold stays, and a person is told.
        var lostEvent = StripeTestIds.Event();
        var lost = StripeEvents.Event(lostEvent, StripeEventTypes.ChargeDisputeClosed, StripeObjectJson.Dispute(inquiry with { Status = "lost" }, DateTimeOffset.UtcNow));
        Assert.Equal("review", CardSiloFixture.Outcome(await card.DeliverAsync(lost)));
        var after = (await card.Api.GetAsync($"/v1/accounts/{account}")).Json.GetProperty("balance");
        Assert.Equal((-2_000L, 2_000L), (after.GetProperty("available").GetInt64(), after.GetProperty("held").GetInt64()));
        Assert.Equal(["open", "deposit", "hold", "reversal"], (await card.Api.JournalAsync(account)).Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal((paymentId, "review"), (await card.ProcessedEventsAsync()).Where(e => e.EventId == lostEvent).Select(e => (e.PaymentId, e.Outcome)).Single());
        await Eventually.TrueAsync(
            () => card.Silo.Output.Any(l => l.Contains($"ALERT payment {paymentId}: dispute", StringComparison.Ordinal)), "the ALERT for a person");
    }

    /// <summary>A payment of 200 cents for 2,000 credits, an inquiry on all of it, and the merchant's full refund in answer.</summary>
    private async Task<(string Account, string PaymentId, TestCharge Charge, TestDispute Inquiry)> InquiryAnsweredWithARefundAsync()
    {
        var (account, paymentId, charge) = await CreditedAsync("credits-2000");
        var inquiry = Dispute(charge, 200) with { Status = "warning_needs_response" };
        var opened = StripeEvents.Event(StripeTestIds.Event(), StripeEventTypes.ChargeDisputeCreated, StripeObjectJson.Dispute(inquiry, DateTimeOffset.UtcNow));
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(opened)));

        // The customer has the money back, so the credits go at once; the inquiry's hold stands until it closes, so the
        // account is below zero meanwhile.
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.ChargeRefunded(StripeTestIds.Event(), charge with { AmountRefunded = 200 }))));
        var during = (await card.Api.GetAsync($"/v1/accounts/{account}")).Json.GetProperty("balance");
        Assert.Equal((-2_000L, 2_000L), (during.GetProperty("available").GetInt64(), during.GetProperty("held").GetInt64()));
        return (account, paymentId, charge, inquiry);
    }

    [Fact]
    public async Task A_dispute_of_money_already_refunded_takes_nothing_more_and_is_kept_for_a_person()
    {
        var (account, paymentId, charge) = await CreditedAsync("credits-2000");
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.ChargeRefunded(StripeTestIds.Event(), charge with { AmountRefunded = 200 }))));
        Assert.Equal(0, await card.AvailableAsync(account));

        // The cardholder disputes the refunded charge and Stripe rules against the merchant: the merchant is out the
        // money twice, but the account was credited once and has given it back already.
        var dispute = Dispute(charge, 200);
        var opened = StripeTestIds.Event();
        var lost = StripeTestIds.Event();
        Assert.Equal("review", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.ChargeDisputeCreated(opened, dispute))));
        Assert.Equal("review", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.ChargeDisputeClosed(lost, dispute, won: false))));

        var after = (await card.Api.GetAsync($"/v1/accounts/{account}")).Json;
        Assert.Equal((0L, 0L), (CardSiloFixture.Available(after), after.GetProperty("balance").GetProperty("held").GetInt64()));
        Assert.False(after.GetProperty("inDebt").GetBoolean());
        Assert.Equal(["open", "deposit", "reversal"], (await card.Api.JournalAsync(account)).Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal("refunded", await card.PaymentStatusAsync(paymentId));
        var kept = (await card.ProcessedEventsAsync()).Where(e => e.EventId == opened || e.EventId == lost).ToList();
        Assert.Equal(2, kept.Count);
        Assert.All(kept, e => Assert.Equal((paymentId, "review"), (e.PaymentId, e.Outcome)));
    }

    [Fact]
    public async Task A_refund_that_fails_gives_nothing_back_and_takes_nothing_more_and_is_kept_for_a_person()
    {
        var (account, paymentId, charge) = await CreditedAsync("credits-2000");
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.ChargeRefunded(StripeTestIds.Event(), charge with { AmountRefunded = 100 }))));
        Assert.Equal(1_000, await card.AvailableAsync(account));

        // The customer's card was closed: the refund's money went back to the merchant. The credits stay taken back
        // (the customer is owed money, not credits); a person settles it, told by an alert naming the refund.
        var refund = new TestRefund
        {
            Id = StripeTestIds.Refund(), Amount = 100, Currency = charge.Currency, ChargeId = charge.Id, PaymentIntentId = charge.PaymentIntentId,
            Status = "failed", FailureReason = "expired_or_canceled_card",
        };
        var updated = StripeTestIds.Event();
        var failed = StripeTestIds.Event();
        Assert.Equal("review", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.ChargeRefundUpdated(updated, refund))));
        // Stripe tells one failure in several events: a person hears of it once.
        Assert.Equal("stale", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.ChargeRefundUpdated(failed, refund, type: StripeEventTypes.RefundFailed))));
        Assert.Equal("duplicate", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.ChargeRefundUpdated(updated, refund))));
        // A refund that went through says nothing new: charge.refunded took its credits when it was made.
        var succeeded = StripeTestIds.Event();
        Assert.Equal("ignored", CardSiloFixture.Outcome(await card.DeliverAsync(
            StripeEvents.ChargeRefundUpdated(succeeded, refund with { Id = StripeTestIds.Refund(), Status = "succeeded", FailureReason = null }))));

        Assert.Equal(1_000, await card.AvailableAsync(account));
        Assert.Equal(["open", "deposit", "reversal"], (await card.Api.JournalAsync(account)).Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal("refunded", await card.PaymentStatusAsync(paymentId));
        var kept = (await card.ProcessedEventsAsync()).Where(e => e.EventId == updated || e.EventId == failed).OrderBy(e => e.EventId == failed).ToList();
        Assert.Equal([(updated, paymentId, "review"), (failed, paymentId, "stale")], kept.Select(e => (e.EventId, e.PaymentId, e.Outcome)));
        await Eventually.TrueAsync(
            () => card.Silo.Output.Any(l => l.Contains("ALERT payment " + paymentId, StringComparison.Ordinal) && l.Contains(refund.Id, StringComparison.Ordinal)
                && l.Contains("expired_or_canceled_card", StringComparison.Ordinal)),
            "the failed refund's alert in the silo's log",
            TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(1)); // the silo's later lines (a second alert would be among them) read too
        Assert.Single(card.Silo.Output, l => l.Contains("ALERT payment " + paymentId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refund_that_arrives_before_the_payment_is_applied_after_its_credit()
    {
        var (account, paymentId, paid, charge) = await PaidButNotYetCreditedAsync("early-refund");
        var refundId = StripeTestIds.Event();
        Assert.Equal("unmatched", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.ChargeRefunded(refundId, charge with { AmountRefunded = 100 }))));
        Assert.Equal(0, await card.AvailableAsync(account));

        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.CheckoutSessionCompleted(StripeTestIds.Event(), paid))));
        Assert.Equal(1_000, await card.AvailableAsync(account)); // 2,000 credited, the waiting refund of half reversed
        Assert.Equal("refunded", await card.PaymentStatusAsync(paymentId));
        var adopted = Assert.Single(await card.ProcessedEventsAsync(), e => e.EventId == refundId);
        Assert.Equal((paymentId, "applied"), (adopted.PaymentId, adopted.Outcome));
    }

    [Fact]
    public async Task An_inquiry_and_a_refund_that_arrive_before_the_payment_are_judged_in_the_order_they_came()
    {
        var (account, paymentId, paid, charge) = await PaidButNotYetCreditedAsync("early-inquiry");
        var inquiry = Dispute(charge, 200) with { Status = "warning_needs_response" };
        var opened = StripeTestIds.Event();
        var refunded = StripeTestIds.Event();
        Assert.Equal("unmatched", CardSiloFixture.Outcome(await card.DeliverAsync(
            StripeEvents.Event(opened, StripeEventTypes.ChargeDisputeCreated, StripeObjectJson.Dispute(inquiry, DateTimeOffset.UtcNow)))));
        Assert.Equal("unmatched", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.ChargeRefunded(refunded, charge with { AmountRefunded = 100 }))));

        // The payment is credited and takes both as if it had known them: the inquiry holds all 2,000 credits, the refund of
        // half takes 1,000 back (judged refund first, the inquiry would have held nothing and left 1,000 to spend).
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.CheckoutSessionCompleted(StripeTestIds.Event(), paid))));
        var balance = (await card.Api.GetAsync($"/v1/accounts/{account}")).Json.GetProperty("balance");
        Assert.Equal((-1_000L, 2_000L), (balance.GetProperty("available").GetInt64(), balance.GetProperty("held").GetInt64()));
        var adopted = (await card.ProcessedEventsAsync()).Where(e => e.EventId == opened || e.EventId == refunded).Select(e => (e.PaymentId, e.Outcome)).ToList();
        Assert.Equal([(paymentId, "applied"), (paymentId, "applied")], adopted);

        // The inquiry closes: its hold goes, and the refunded half stays taken.
        var closed = StripeEvents.Event(
            StripeTestIds.Event(), StripeEventTypes.ChargeDisputeClosed, StripeObjectJson.Dispute(inquiry with { Status = "warning_closed" }, DateTimeOffset.UtcNow));
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(closed)));
        balance = (await card.Api.GetAsync($"/v1/accounts/{account}")).Json.GetProperty("balance");
        Assert.Equal((1_000L, 0L), (balance.GetProperty("available").GetInt64(), balance.GetProperty("held").GetInt64()));
    }

    /// <summary>A checkout paid at Stripe whose completion has not been delivered, and its charge, which leads back to it only through its PaymentIntent.</summary>
    private async Task<(string Account, string PaymentId, TestCheckoutSession Paid, TestCharge Charge)> PaidButNotYetCreditedAsync(string operationId)
    {
        var account = await card.Api.CreateAccountAsync();
        var (paymentId, session) = await card.StartCheckoutAsync(account, operationId);
        var paid = card.Stripe.CompleteCheckoutSession(session.Id);
        return (account, paymentId, paid, ChargeOf(paid) with { Metadata = new Dictionary<string, string>() });
    }

    private async Task<(string Account, string PaymentId, TestCharge Charge)> CreditedAsync(string packageId, long overdraftLimit = 0)
    {
        var account = await card.Api.CreateAccountAsync(overdraftLimit: overdraftLimit);
        var (paymentId, session) = await card.StartCheckoutAsync(account, "topup", packageId);
        var paid = card.Stripe.CompleteCheckoutSession(session.Id);
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(StripeEvents.CheckoutSessionCompleted(StripeTestIds.Event(), paid))));
        return (account, paymentId, ChargeOf(paid));
    }

    private TestCharge ChargeOf(TestCheckoutSession paid) =>
        card.Stripe.Charge(card.Stripe.PaymentIntent(paid.PaymentIntentId!)!.LatestChargeId!)!;

    private static TestDispute Dispute(TestCharge charge, long amount) => new()
    {
        Id = StripeTestIds.Dispute(), Amount = amount, Currency = charge.Currency, ChargeId = charge.Id, PaymentIntentId = charge.PaymentIntentId,
    };


}
