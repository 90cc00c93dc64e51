using Grid.Contracts.Payments;
using Grid.Grains.Tests.Support;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Runtime;
using Grid.Storage;
using Grid.Stripe.TestKit.StandIn;
using Grid.TestKit;
using Xunit;

namespace Grid.Grains.Tests.Payments;

/// <summary>
/// A checkout's start sent again (its answer lost). It is compared by what the client sent, the package or the amount,
/// not by what the silo worked out from its configuration, which the operator may have changed in between; Stripe, asked
/// again, is sent the first request's parameters, under the same idempotency key only while Stripe surely keeps it (23
/// hours): later, a second session could open beside the first. SQLite, the Stripe stand-in.
/// </summary>
public sealed class CheckoutRepeatTests() : StandInStripeTests(StorageOptions.Sqlite)
{
    [Fact]
    public async Task A_start_repeated_after_its_package_was_repriced_answers_the_payment_as_first_started()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var silo = await StartCardSiloAsync(clock, new Dictionary<string, string?> { ["Grid:Stripe:MaxAttempts"] = "1" });
        await silo.Account("repriced").Execute(new OpenAccount());
        var first = new CheckoutStart("repriced", "topup", "credits-500", 50, "usd", 500, "500 credits", "http://127.0.0.1:5080/v1/payments/a", "http://127.0.0.1:5080/v1/payments/a");
        var paymentId = PaymentIds.For("repriced", "topup");
        var payment = silo.Grains.GetGrain<IPaymentGrain>(paymentId);

        // Stripe opens the session but its answer is lost; the operator reprices the package, and the client, through
        // another host name, sends its start again.
        StandIn.FailEveryRequest(new StandInFault.DropAfterProcessing());
        await Assert.ThrowsAsync<LedgerException>(() => payment.StartCheckout(first));
        StandIn.FailEveryRequest(null);
        var repriced = first with { AmountCents = 55, Currency = "eur", Credits = 550, ProductName = "550 credits", SuccessUrl = "http://localhost:5080/v1/payments/a", CancelUrl = "http://localhost:5080/v1/payments/a" };

        var started = await payment.StartCheckout(repriced);

        Assert.Equal((50L, "usd", 500L), (started.AmountCents, started.Currency, started.Credits));
        Assert.NotNull(started.CheckoutUrl);
        var asked = StandIn.Requests.Where(r => r.Path == "/v1/checkout/sessions").Select(r => (
            r.Field("line_items[0][price_data][unit_amount]"), r.Field("line_items[0][price_data][currency]"),
            r.Field("line_items[0][price_data][product_data][name]"), r.Field("success_url"), r.IdempotencyKey)).Distinct().ToList();
        Assert.Equal([("50", "usd", "500 credits", first.SuccessUrl, $"grid:{paymentId}:checkout")], asked);
        Assert.Equal(started, await payment.StartCheckout(repriced));

        // What the client sent differs: a conflict naming it.
        var otherPackage = await Assert.ThrowsAsync<LedgerException>(() => payment.StartCheckout(first with { PackageId = "credits-2000" }));
        Assert.Equal((LedgerErrorCodes.IdempotencyConflict, "packageId"), (otherPackage.Code, otherPackage.Field));
        var byAmount = silo.Grains.GetGrain<IPaymentGrain>(PaymentIds.For("repriced", "by-amount"));
        var amount = first with { OperationId = "by-amount", PackageId = null, AmountCents = 700, Credits = 7_000 };
        await byAmount.StartCheckout(amount);
        Assert.Equal(7_000, (await byAmount.StartCheckout(amount with { Credits = 7_700 })).Credits);
        var otherAmount = await Assert.ThrowsAsync<LedgerException>(() => byAmount.StartCheckout(amount with { AmountCents = 800 }));
        Assert.Equal((LedgerErrorCodes.IdempotencyConflict, "amountCents"), (otherAmount.Code, otherAmount.Field));
    }

    [Fact]
    public async Task A_checkout_unanswered_for_a_day_is_not_asked_for_again()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        // One attempt: no waits between attempts on a clock that only moves by hand.
        await using var silo = await StartCardSiloAsync(clock, new Dictionary<string, string?> { ["Grid:Stripe:MaxAttempts"] = "1" });
        await silo.Account("late-checkout").Execute(new OpenAccount());
        var start = new CheckoutStart("late-checkout", "topup", null, 500, "usd", 5_000, "5,000 credits", "https://shop.example/done", "https://shop.example/cancel");
        var payment = silo.Grains.GetGrain<IPaymentGrain>(PaymentIds.For("late-checkout", "topup"));

        StandIn.FailEveryRequest(new StandInFault.ServerError(503));
        await Assert.ThrowsAsync<LedgerException>(() => payment.StartCheckout(start));
        StandIn.FailEveryRequest(null);
        var asks = StandIn.Requests.Count;

        clock.Advance(TimeSpan.FromHours(23));
        var refused = await Assert.ThrowsAsync<LedgerException>(() => payment.StartCheckout(start));
        Assert.Equal((LedgerErrorCodes.InvalidState, "operationId"), (refused.Code, refused.Field));
        Assert.Equal(asks, StandIn.Requests.Count);
        Assert.Empty(StandIn.CheckoutSessions);

        // Within the window, the same start is asked again and gets its session.
        var fresh = start with { OperationId = "topup-2" };
        StandIn.FailEveryRequest(new StandInFault.ServerError(503));
        var freshPayment = silo.Grains.GetGrain<IPaymentGrain>(PaymentIds.For("late-checkout", "topup-2"));
        await Assert.ThrowsAsync<LedgerException>(() => freshPayment.StartCheckout(fresh));
        StandIn.FailEveryRequest(null);
        clock.Advance(TimeSpan.FromHours(22));
        Assert.NotNull((await freshPayment.StartCheckout(fresh)).CheckoutUrl);
    }
}
