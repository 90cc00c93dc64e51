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
public sealed class CheckoutRetryWindowTests : IAsyncLifetime
{
    private LedgerStorage _storage = null!;
    private StripeStandIn _stripe = null!;

    public async Task InitializeAsync()
    {
        _storage = await LedgerStorage.CreateAsync(StorageOptions.Sqlite);
        _stripe = await StripeStandIn.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _stripe.DisposeAsync();
        await _storage.DisposeAsync();
    }

    [Fact]
    public async Task A_checkout_unanswered_for_a_day_is_not_asked_for_again()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Grid:Stripe:SecretKey"] = StripeStandIn.SecretKey,
            ["Grid:Stripe:ApiBase"] = _stripe.BaseAddress.ToString(),
            ["Grid:Stripe:MaxAttempts"] = "1", // no waits between attempts on a clock that only moves by hand
        }).Build();
        await using var silo = await LedgerSilo.StartAsync(_storage.Options, clock, services: s => s.AddCardPayments(configuration));
        await silo.Account("late-checkout").Execute(new OpenAccount());
        var start = new CheckoutStart("late-checkout", "topup", null, 500, "usd", 5_000, "5,000 credits", "https://shop.example/done", "https://shop.example/cancel");
        var payment = silo.Grains.GetGrain<IPaymentGrain>(PaymentIds.For("late-checkout", "topup"));

        _stripe.FailEveryRequest(new StandInFault.ServerError(503));
        await Assert.ThrowsAsync<LedgerException>(() => payment.StartCheckout(start));
        _stripe.FailEveryRequest(null);
        var asks = _stripe.Requests.Count;

        clock.Advance(TimeSpan.FromHours(23));
        var refused = await Assert.ThrowsAsync<LedgerException>(() => payment.StartCheckout(start));
        Assert.Equal((LedgerErrorCodes.InvalidState, "operationId"), (refused.Code, refused.Field));
        Assert.Equal(asks, _stripe.Requests.Count);
        Assert.Empty(_stripe.CheckoutSessions);

        // Within the window, the same start is asked again and gets its session.
        var fresh = start with { OperationId = "topup-2" };
        _stripe.FailEveryRequest(new StandInFault.ServerError(503));
        var freshPayment = silo.Grains.GetGrain<IPaymentGrain>(PaymentIds.For("late-checkout", "topup-2"));
        await Assert.ThrowsAsync<LedgerException>(() => freshPayment.StartCheckout(fresh));
        _stripe.FailEveryRequest(null);
        clock.Advance(TimeSpan.FromHours(22));
        Assert.NotNull((await freshPayment.StartCheckout(fresh)).CheckoutUrl);
    }
}
