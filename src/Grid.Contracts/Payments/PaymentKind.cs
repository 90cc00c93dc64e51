namespace Grid.Contracts.Payments;

/// <summary>How a card payment came about, which decides the events that pay it.</summary>
public enum PaymentKind
{
    /// <summary>A top-up the payer made on a Stripe Checkout page: paid by checkout.session events.</summary>
    Checkout,

    /// <summary>An off-session charge of a saved card when the balance ran low: paid by payment_intent events.</summary>
    AutoReload,
}
