using Grid.Contracts.Payments;
using Grid.Grains.Payments;
using Grid.Ledger.Commands;
using Xunit;

namespace Grid.Grains.Tests.Payments;

/// <summary>The fold of a payment's events and the ledger commands it calls for, without a silo.</summary>
public sealed class PaymentPlanTests
{
    private const string PaymentId = "pay_aaaaaaaaaaaaaaaaaaaaaaaaaa";

    private static readonly PaymentRecord Checkout = new()
    {
        AccountId = "acct-1", Kind = PaymentKind.Checkout, OperationId = "op-1", AmountCents = 1_000, Currency = "usd", Credits = 10_000,
    };

    [Fact]
    public void A_paid_session_credits_once_with_the_payment_as_reference()
    {
        var facts = new PaymentFacts();
        Assert.Equal(CardEventOutcome.Applied, facts.Apply(Checkout, Paid("evt_1")));
        Assert.Equal(CardEventOutcome.Stale, facts.Apply(Checkout, Paid("evt_2", CardEventSource.CheckoutSession, "checkout.session.async_payment_succeeded")));

        var deposit = Assert.IsType<Deposit>(Assert.Single(PaymentPlan.For(PaymentId, Checkout, facts)));
        Assert.Equal(10_000, deposit.Amount);
        Assert.Equal(PaymentId, deposit.Reference);
        Assert.Equal($"card:{PaymentId}:credit", deposit.OperationId);
    }

    [Fact]
    public void A_paid_event_for_another_amount_or_currency_is_kept_for_review_and_credits_nothing()
    {
        var facts = new PaymentFacts();
        Assert.Equal(CardEventOutcome.Review, facts.Apply(Checkout, Paid("evt_1") with { AmountCents = 999 }));
        Assert.Equal(CardEventOutcome.Review, facts.Apply(Checkout, Paid("evt_2") with { Currency = "eur" }));
        Assert.Empty(PaymentPlan.For(PaymentId, Checkout, facts));
    }

    [Fact]
    public void A_second_payment_intent_paying_one_auto_reload_is_kept_for_review_and_credits_once()
    {
        var autoReload = new PaymentRecord
        {
            AccountId = "acct-1", Kind = PaymentKind.AutoReload, OperationId = "op-1", AmountCents = 1_000, Currency = "usd", Credits = 10_000,
        };
        foreach (var (first, second) in new[] { ("pi_1", "pi_2"), ("pi_2", "pi_1") })
        {
            var facts = new PaymentFacts();
            Assert.Equal(CardEventOutcome.Applied, facts.Apply(autoReload, Paid("evt_a", CardEventSource.PaymentIntent, "payment_intent.succeeded") with { PaymentIntentId = first }));
            Assert.Equal(CardEventOutcome.Stale, facts.Apply(autoReload, Paid("evt_b", CardEventSource.PaymentIntent, "payment_intent.succeeded") with { PaymentIntentId = first }));
            Assert.Equal(CardEventOutcome.Review, facts.Apply(autoReload, Paid("evt_c", CardEventSource.PaymentIntent, "payment_intent.succeeded") with { PaymentIntentId = second }));
            Assert.Single(PaymentPlan.For(PaymentId, autoReload, facts).OfType<Deposit>());
        }
    }

    [Fact]
    public void A_checkout_top_up_is_not_paid_by_its_payment_intent_event_but_learns_the_link()
    {
        var facts = new PaymentFacts();
        var intentEvent = Paid("evt_1", CardEventSource.PaymentIntent, "payment_intent.succeeded") with { PaymentIntentId = "pi_1" };
        Assert.Equal(CardEventOutcome.Ignored, facts.Apply(Checkout, intentEvent));
        Assert.Empty(PaymentPlan.For(PaymentId, Checkout, facts));
        Assert.Contains("pi_1", facts.ObjectRefs());
    }

    [Fact]
    public void Refund_totals_reverse_the_refunded_part_and_a_lower_total_after_a_higher_one_is_stale()
    {
        var facts = new PaymentFacts();
        facts.Apply(Checkout, Paid("evt_1"));
        Assert.Equal(CardEventOutcome.Applied, facts.Apply(Checkout, Refunded("evt_2", 333)));
        Assert.Equal(CardEventOutcome.Applied, facts.Apply(Checkout, Refunded("evt_3", 1_000)));
        Assert.Equal(CardEventOutcome.Stale, facts.Apply(Checkout, Refunded("evt_4", 500)));

        var reversals = PaymentPlan.For(PaymentId, Checkout, facts).OfType<Reverse>().ToList();
        Assert.Equal([3_330, 6_670], reversals.Select(r => r.Amount));
        Assert.Equal(10_000, reversals.Sum(r => r.Amount)); // a full refund takes back exactly what was credited
    }

    [Fact]
    public void A_partial_refund_rounds_the_reversal_down()
    {
        var odd = new PaymentRecord { AccountId = "a", AmountCents = 300, Currency = "usd", Credits = 1_000 };
        Assert.Equal(333, PaymentPlan.CreditsFor(odd, 100));
        Assert.Equal(1_000, PaymentPlan.CreditsFor(odd, 300));
        Assert.Equal(1_000, PaymentPlan.CreditsFor(odd, 301));
        Assert.Equal(0, PaymentPlan.CreditsFor(odd, 0));
    }

    [Fact]
    public void A_refund_before_the_payment_waits_and_is_planned_after_the_credit()
    {
        var facts = new PaymentFacts();
        facts.Apply(Checkout, Refunded("evt_2", 500));
        Assert.Empty(PaymentPlan.For(PaymentId, Checkout, facts));

        facts.Apply(Checkout, Paid("evt_1"));
        var plan = PaymentPlan.For(PaymentId, Checkout, facts);
        Assert.IsType<Deposit>(plan[0]);
        Assert.Equal(5_000, Assert.IsType<Reverse>(plan[1]).Amount);
    }

    [Theory]
    [InlineData(CardEventKind.DisputeWon, 1)]
    [InlineData(CardEventKind.DisputeLost, 2)]
    public void A_dispute_holds_the_disputed_amount_then_releases_it_or_reverses_it(CardEventKind closed, int afterHold)
    {
        var facts = new PaymentFacts();
        facts.Apply(Checkout, Paid("evt_1"));
        Assert.Equal(CardEventOutcome.Applied, facts.Apply(Checkout, Dispute("evt_2", CardEventKind.DisputeOpened, 400)));
        var hold = Assert.IsType<PlaceHold>(PaymentPlan.For(PaymentId, Checkout, facts)[1]);
        Assert.Equal(4_000, hold.Amount);
        Assert.True(hold.Forced);

        Assert.Equal(CardEventOutcome.Applied, facts.Apply(Checkout, Dispute("evt_3", closed, 400)));
        var plan = PaymentPlan.For(PaymentId, Checkout, facts);
        Assert.Equal(2 + afterHold, plan.Count);
        Assert.Equal(hold.OperationId, Assert.IsType<VoidHold>(plan[2]).HoldId);
        var (credited, reversed, held) = PaymentPlan.Totals(plan);
        Assert.Equal((10_000, closed == CardEventKind.DisputeLost ? 4_000 : 0, 0), (credited, reversed, held));

        // Closed is final: a late "created" changes nothing.
        Assert.Equal(CardEventOutcome.Stale, facts.Apply(Checkout, Dispute("evt_4", CardEventKind.DisputeOpened, 400)));
    }

    [Fact]
    public void The_same_events_in_every_order_give_the_same_plan()
    {
        CardPaymentEvent[] events =
        [
            Paid("evt_1"), Refunded("evt_2", 200), Dispute("evt_3", CardEventKind.DisputeOpened, 300),
            Dispute("evt_4", CardEventKind.DisputeLost, 300), Dispute("evt_5", CardEventKind.DisputeOpened, 100, "dp_2"),
        ];
        var canonical = PlanOf(events);
        var random = new Random(20261121);
        for (var trial = 0; trial < 200; trial++)
        {
            var shuffled = events.OrderBy(_ => random.Next()).ToArray();
            Assert.Equal(canonical, PlanOf(shuffled));
        }
    }

    private static string[] PlanOf(IEnumerable<CardPaymentEvent> events)
    {
        var facts = new PaymentFacts();
        foreach (var e in events)
        {
            facts.Apply(Checkout, e);
        }

        return PaymentPlan.For(PaymentId, Checkout, facts).Select(c => $"{c.GetType().Name} {c.OperationId} {c.ToRequest()}").ToArray();
    }

    private static CardPaymentEvent Paid(string id, CardEventSource source = CardEventSource.CheckoutSession, string type = "checkout.session.completed") =>
        new(id, type, CardEventKind.Paid, source, 1_000, "usd");

    private static CardPaymentEvent Refunded(string id, long total) =>
        new(id, "charge.refunded", CardEventKind.Refunded, CardEventSource.Charge, total, "usd", PaymentIntentId: "pi_1", ChargeId: "ch_1");

    private static CardPaymentEvent Dispute(string id, CardEventKind kind, long amount, string disputeId = "dp_1") =>
        new(id, kind == CardEventKind.DisputeOpened ? "charge.dispute.created" : "charge.dispute.closed", kind, CardEventSource.Dispute, amount, "usd",
            PaymentIntentId: "pi_1", ChargeId: "ch_1", DisputeId: disputeId);
}
