using Grid.Contracts.Payments;
using Grid.Grains.Hosting;
using Grid.Grains.Tests.Support;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Runtime;
using Grid.Storage;
using Grid.Stripe.TestKit.StandIn;
using Grid.TestKit;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Grid.Grains.Tests.Payments;

/// <summary>
/// A checkout whose session Stripe never answered for is asked for again under the same idempotency key only while
/// Stripe surely keeps it (23 hours): later, a second session could open beside the first. SQLite, the Stripe stand-in.
/// </summary>
public sealed class CheckoutRetryWindowTests() : StandInStripeTests(StorageOptions.Sqlite)
{
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
