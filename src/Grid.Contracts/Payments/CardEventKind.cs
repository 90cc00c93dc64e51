namespace Grid.Contracts.Payments;

/// <summary>What a card event says about its payment, whatever Stripe type carried it.</summary>
public enum CardEventKind
{
    /// <summary>The money arrived (checkout.session.completed with payment_status paid, ..._async_payment_succeeded, payment_intent.succeeded).</summary>
    Paid,

    /// <summary>The session completed but the money is still on its way (a delayed method): wait for the async outcome.</summary>
    AwaitingPayment,

    /// <summary>The payment failed (..._async_payment_failed, payment_intent.payment_failed).</summary>
    Failed,

    /// <summary>The Checkout Session expired unpaid.</summary>
    Expired,

    /// <summary>The charge was refunded; <see cref="CardPaymentEvent.AmountCents"/> is the total refunded so far.</summary>
    Refunded,

    /// <summary>
    /// A refund failed or was canceled: the money went back to the merchant, not to the customer, while the refund's
    /// credits were taken back when it was made. <see cref="CardPaymentEvent.AmountCents"/> is that refund's amount.
    /// </summary>
    RefundFailed,

    /// <summary>A dispute was opened; <see cref="CardPaymentEvent.AmountCents"/> is the disputed amount.</summary>
    DisputeOpened,

    /// <summary>A dispute closed in the merchant's favour (won, or an inquiry closed): the held amount is released.</summary>
    DisputeWon,

    /// <summary>A dispute was lost: the disputed amount is reversed.</summary>
    DisputeLost,
}
