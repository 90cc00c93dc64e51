namespace Grid.Contracts.Payments;

/// <summary>Which Stripe object an event was about; a checkout top-up is paid only by its session's events.</summary>
public enum CardEventSource
{
    CheckoutSession,
    PaymentIntent,
    Charge,
    Dispute,
}
