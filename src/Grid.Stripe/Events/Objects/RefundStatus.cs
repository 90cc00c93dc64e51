using System.Text.Json.Serialization;
using Grid.Stripe.Events.Serialization;

namespace Grid.Stripe.Events.Objects;

/// <summary>A refund's <c>status</c>; <see cref="Failed"/> and <see cref="Canceled"/> mean the money never reached the customer.</summary>
[JsonConverter(typeof(StripeEnumConverter<RefundStatus>))]
public enum RefundStatus
{
    /// <summary>A value this code does not know.</summary>
    Unknown,

    /// <summary><c>pending</c>: on its way to the customer.</summary>
    Pending,

    /// <summary><c>requires_action</c>: the customer must act before it can go on.</summary>
    RequiresAction,

    /// <summary><c>succeeded</c>.</summary>
    Succeeded,

    /// <summary><c>failed</c>: the customer's bank or card would not take it; the money went back to the merchant's balance.</summary>
    Failed,

    /// <summary><c>canceled</c>: withdrawn before it was sent.</summary>
    Canceled,
}
