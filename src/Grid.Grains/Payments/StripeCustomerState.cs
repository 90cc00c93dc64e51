namespace Grid.Grains.Payments;

/// <summary>A saved Stripe customer's holder as stored (grain state "stripe-customer").</summary>
public sealed class StripeCustomerState
{
    /// <summary>The account whose auto-reload may charge the customer's cards; null until one claims it.</summary>
    public string? AccountId { get; set; }
}
