using Grid.Contracts.Payments;
using Grid.Grains.Hosting;
using Grid.Grains.Tests.Support;
using Grid.Ledger.Commands;
using Grid.Runtime;
using Grid.Runtime.Hosting;
using Grid.Storage;
using Grid.Stripe.TestKit.StandIn;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Grid.Grains.Tests.Payments;

/// <summary>
/// A card event whose commands reached the account while its answer was lost (the journal held back past the call
/// timeout): the entry and the event's record land, the payment's facts do not. The next event must not be judged on
/// those facts. On PostgreSQL, the Stripe stand-in as Stripe.
/// </summary>
public sealed class UnsettledCardEventTests() : StandInStripeTests(StorageOptions.Postgres)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(4); // every call of the silo has it: room for a loaded machine

    [Fact]
    public async Task A_refund_after_a_paid_event_whose_answer_was_lost_takes_the_credits_back()
    {
        await using var silo = await StartAsync();
        var (payment, paid) = await StartPaidCheckoutAsync(silo, "unsettled-paid");

        await LoseTheAnswerAsync(silo, "unsettled-paid", () => payment.Handle(paid));
        Assert.Equal(5_000, (await silo.Account("unsettled-paid").GetBalance()).Available); // the credit landed unseen

        var refunded = Refund("evt_unsettled_refund", paid, 500);
        Assert.Equal(CardEventOutcome.Applied, await payment.Handle(refunded));

        Assert.Equal(0, (await silo.Account("unsettled-paid").GetBalance()).Available); // taken back, not kept for free
        Assert.Equal(CardEventOutcome.Duplicate, await payment.Handle(paid)); // Stripe's retry of the paid event
        Assert.Equal(0, (await silo.Account("unsettled-paid").GetBalance()).Available);
    }

    [Fact]
    public async Task A_second_partial_refund_after_a_first_whose_answer_was_lost_takes_back_only_the_difference()
    {
        await using var silo = await StartAsync();
        var (payment, paid) = await StartPaidCheckoutAsync(silo, "unsettled-refunds");
        Assert.Equal(CardEventOutcome.Applied, await payment.Handle(paid));

        await LoseTheAnswerAsync(silo, "unsettled-refunds", () => payment.Handle(Refund("evt_refund_100", paid, 100)));
        Assert.Equal(4_000, (await silo.Account("unsettled-refunds").GetBalance()).Available);

        Assert.Equal(CardEventOutcome.Applied, await payment.Handle(Refund("evt_refund_300", paid, 300))); // 300 in all
        Assert.Equal(2_000, (await silo.Account("unsettled-refunds").GetBalance()).Available); // not 1,000: 100 taken once
    }

    /// <summary>Handles an event with the journal locked past the call timeout, then lets its append land.</summary>
    private async Task LoseTheAnswerAsync(LedgerSilo silo, string accountId, Func<Task<string>> handle)
    {
        var before = (await silo.Account(accountId).GetBalance()).Available;
        await using var journalLock = await JournalTableLock.TakeAsync(Storage.Options.ConnectionString!);
        await Assert.ThrowsAnyAsync<Exception>(handle); // the account's append waits for the lock past the timeout
        await journalLock.ReleaseAsync();
        await Grid.TestKit.Eventually.TrueAsync(
            async () => (await silo.Account(accountId).GetBalance()).Available != before, "the held-back entry landed");
    }

    private async Task<(IPaymentGrain Payment, CardPaymentEvent Paid)> StartPaidCheckoutAsync(LedgerSilo silo, string accountId)
    {
        await silo.Account(accountId).Execute(new OpenAccount());
        var paymentId = PaymentIds.For(accountId, "topup");
        var payment = silo.Grains.GetGrain<IPaymentGrain>(paymentId);
        await payment.StartCheckout(new CheckoutStart(
            accountId, "topup", null, 500, "usd", 5_000, "5,000 credits", "https://shop.example/done", "https://shop.example/cancel"));
        var session = StandIn.CheckoutSessions.Single(s => s.ClientReferenceId == paymentId);
        var completed = StandIn.CompleteCheckoutSession(session.Id);
        var paid = new CardPaymentEvent(
            $"evt_paid_{accountId}", "checkout.session.completed", CardEventKind.Paid, CardEventSource.CheckoutSession, 500, "usd",
            PaymentIntentId: completed.PaymentIntentId, CheckoutSessionId: session.Id);
        return (payment, paid);
    }

    private static CardPaymentEvent Refund(string eventId, CardPaymentEvent paid, long refundedCents) => new(
        eventId, "charge.refunded", CardEventKind.Refunded, CardEventSource.Charge, refundedCents, "usd",
        PaymentIntentId: paid.PaymentIntentId, ChargeId: "ch_unsettled");

    private Task<LedgerSilo> StartAsync() =>
        StartCardSiloAsync(services: s => s.Configure<GrainRuntimeOptions>(o => o.ResponseTimeout = CallTimeout));
}
