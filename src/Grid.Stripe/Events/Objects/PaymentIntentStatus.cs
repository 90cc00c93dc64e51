using System.Text.Json.Serialization;
using Grid.Stripe.Events.Serialization;

namespace Grid.Stripe.Events.Objects;

/// <summary>A PaymentIntent's <c>status</c>.</summary>
[JsonConverter(typeof(StripeEnumConverter<PaymentIntentStatus>))]
public enum PaymentIntentStatus
{
    /// <summary>A value this code does not know.</summary>
    Unknown,

    /// <summary><c>requires_payment_method</c>: created, or a payment attempt failed.</summary>
    RequiresPaymentMethod,

    /// <summary><c>requires_confirmation</c>.</summary>
    RequiresConfirmation,

    /// <summary><c>requires_action</c>: the customer must authenticate, which an off-session payment cannot do.</summary>
    RequiresAction,

    /// <summary><c>processing</c>.</summary>
    Processing,

    /// <summary><c>requires_capture</c>: authorized, not captured.</summary>
    RequiresCapture,

    /// <summary><c>canceled</c>.</summary>
    Canceled,

    /// <summary><c>succeeded</c>: the funds are captured.</summary>
    Succeeded,
}
