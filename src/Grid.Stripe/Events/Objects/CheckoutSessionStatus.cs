using System.Text.Json.Serialization;
using Grid.Stripe.Events.Serialization;

namespace Grid.Stripe.Events.Objects;

/// <summary>A Checkout Session's <c>status</c>.</summary>
[JsonConverter(typeof(StripeEnumConverter<CheckoutSessionStatus>))]
public enum CheckoutSessionStatus
{
    /// <summary>A value this code does not know.</summary>
    Unknown,

    /// <summary><c>open</c>: the customer may still pay.</summary>
    Open,

    /// <summary><c>complete</c>: the customer finished; payment may still be processing.</summary>
    Complete,

    /// <summary><c>expired</c>: no longer payable.</summary>
    Expired,
}
