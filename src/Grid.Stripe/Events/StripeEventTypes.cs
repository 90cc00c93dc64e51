namespace Grid.Stripe.Events;

/// <summary>The event types the grid acts on; any other type is acknowledged and ignored.</summary>
public static class StripeEventTypes
{
    /// <summary>A Checkout Session was completed; credit when its payment_status is <c>paid</c>.</summary>
    public const string CheckoutSessionCompleted = "checkout.session.completed";

    /// <summary>A delayed payment method (e.g. a bank debit) of a completed session succeeded: credit.</summary>
    public const string CheckoutSessionAsyncPaymentSucceeded = "checkout.session.async_payment_succeeded";

    /// <summary>A delayed payment method of a completed session failed: the payment failed.</summary>
    public const string CheckoutSessionAsyncPaymentFailed = "checkout.session.async_payment_failed";

    /// <summary>A session expired before it was paid.</summary>
    public const string CheckoutSessionExpired = "checkout.session.expired";

    /// <summary>A charge was refunded, wholly or in part; the charge's amount_refunded is the running total.</summary>
    public const string ChargeRefunded = "charge.refunded";

    /// <summary>A refund of a charge changed, e.g. it failed: the data object is the refund.</summary>
    public const string ChargeRefundUpdated = "charge.refund.updated";

    /// <summary>A refund changed (API versions that send refund events of their own): the data object is the refund.</summary>
    public const string RefundUpdated = "refund.updated";

    /// <summary>A refund failed (API versions that send refund events of their own): the data object is the refund.</summary>
    public const string RefundFailed = "refund.failed";

    /// <summary>A charge was disputed: the disputed amount is held.</summary>
    public const string ChargeDisputeCreated = "charge.dispute.created";

    /// <summary>A dispute was decided: status <c>lost</c> reverses the amount, <c>won</c> releases it.</summary>
    public const string ChargeDisputeClosed = "charge.dispute.closed";

    /// <summary>An off-session PaymentIntent (auto-reload) succeeded: credit.</summary>
    public const string PaymentIntentSucceeded = "payment_intent.succeeded";

    /// <summary>An off-session PaymentIntent (auto-reload) failed: counts toward the auto-reload failure limit.</summary>
    public const string PaymentIntentPaymentFailed = "payment_intent.payment_failed";
}
