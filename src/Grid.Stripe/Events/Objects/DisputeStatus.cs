using System.Text.Json.Serialization;
using Grid.Stripe.Events.Serialization;

namespace Grid.Stripe.Events.Objects;

/// <summary>A dispute's <c>status</c>; <see cref="Won"/> and <see cref="Lost"/> are final.</summary>
[JsonConverter(typeof(StripeEnumConverter<DisputeStatus>))]
public enum DisputeStatus
{
    /// <summary>A value this code does not know.</summary>
    Unknown,

    /// <summary><c>warning_needs_response</c>: an inquiry, no funds withdrawn yet.</summary>
    WarningNeedsResponse,

    /// <summary><c>warning_under_review</c>.</summary>
    WarningUnderReview,

    /// <summary><c>warning_closed</c>: an inquiry closed without becoming a dispute.</summary>
    WarningClosed,

    /// <summary><c>needs_response</c>: evidence is due.</summary>
    NeedsResponse,

    /// <summary><c>under_review</c>: evidence submitted.</summary>
    UnderReview,

    /// <summary><c>won</c>: the funds come back.</summary>
    Won,

    /// <summary><c>lost</c>: the funds are gone for good.</summary>
    Lost,

    /// <summary><c>prevented</c>: resolved before it became a dispute.</summary>
    Prevented,
}
