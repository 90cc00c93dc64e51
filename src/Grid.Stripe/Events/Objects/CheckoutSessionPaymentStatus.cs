using System.Text.Json.Serialization;
using Grid.Stripe.Events.Serialization;

namespace Grid.Stripe.Events.Objects;

/// <summary>A Checkout Session's <c>payment_status</c>: whether its funds are available.</summary>
[JsonConverter(typeof(StripeEnumConverter<CheckoutSessionPaymentStatus>))]
public enum CheckoutSessionPaymentStatus
{
    /// <summary>A value this code does not know.</summary>
    Unknown,

    /// <summary><c>paid</c>: the funds are available.</summary>
    Paid,

    /// <summary><c>unpaid</c>: not paid yet, e.g. a delayed payment method still processing.</summary>
    Unpaid,

    /// <summary><c>no_payment_required</c>: nothing to pay (never the case for a top-up).</summary>
    NoPaymentRequired,
}
