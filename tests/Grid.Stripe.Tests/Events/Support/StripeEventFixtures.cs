namespace Grid.Stripe.Tests.Events.Support;

/// <summary>
/// Hand-written webhook bodies in the shapes Stripe documents (Events/Fixtures, copied next to the tests), read as
/// the raw bytes an endpoint would receive.
/// </summary>
public static class StripeEventFixtures
{
    public const string CheckoutSessionCompleted = "checkout.session.completed";
    public const string CheckoutSessionAsyncPaymentSucceeded = "checkout.session.async_payment_succeeded";
    public const string CheckoutSessionAsyncPaymentFailed = "checkout.session.async_payment_failed";
    public const string CheckoutSessionExpired = "checkout.session.expired";
    public const string ChargeRefundedPartially = "charge.refunded.partial";
    public const string ChargeDisputeCreated = "charge.dispute.created";
    public const string ChargeDisputeClosedWon = "charge.dispute.closed.won";
    public const string ChargeDisputeClosedLost = "charge.dispute.closed.lost";
    public const string PaymentIntentSucceeded = "payment_intent.succeeded";

    public static IReadOnlyList<string> All { get; } =
    [
        CheckoutSessionCompleted, CheckoutSessionAsyncPaymentSucceeded, CheckoutSessionAsyncPaymentFailed, CheckoutSessionExpired,
        ChargeRefundedPartially, ChargeDisputeCreated, ChargeDisputeClosedWon, ChargeDisputeClosedLost, PaymentIntentSucceeded,
    ];

    public static byte[] Read(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Events", "Fixtures", name + ".json"));
}
