using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Grid.Stripe.Events.Objects;
using Grid.Stripe.Events.Serialization;

namespace Grid.Stripe.Events;

/// <summary>
/// A Stripe event as delivered to a webhook endpoint: its envelope, the object it is about as raw JSON, and
/// typed readers for the objects the grid acts on. Parse it only from a body whose signature was verified.
/// </summary>
public sealed record StripeEvent
{
    /// <summary><c>evt_…</c>; the same for every delivery of one event, so it is the deduplication key.</summary>
    public required string Id { get; init; }

    /// <summary>The event type, e.g. <c>checkout.session.completed</c>; see <see cref="StripeEventTypes"/>.</summary>
    public required string Type { get; init; }

    /// <summary>When the event happened; deliveries may arrive in another order than this.</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>Whether the event comes from live mode rather than test mode.</summary>
    public required bool Livemode { get; init; }

    /// <summary>The API version <see cref="DataObject"/> is rendered in, e.g. <c>2025-03-31.basil</c>.</summary>
    public string? ApiVersion { get; init; }

    /// <summary><c>data.object</c>: the object the event is about, as it was when the event happened.</summary>
    public required JsonElement DataObject { get; init; }

    /// <summary><c>data.previous_attributes</c>: the changed members' earlier values, for events about a change.</summary>
    public JsonElement? PreviousAttributes { get; init; }

    /// <summary><c>request</c>: the API request that caused the event, if any.</summary>
    public StripeEventRequest? Request { get; init; }

    /// <summary>The <c>object</c> member of <see cref="DataObject"/>, e.g. <c>checkout.session</c>, <c>charge</c>.</summary>
    public string? DataObjectName => StripeObjectReader.ObjectNameOf(DataObject);

    /// <summary>Parses a webhook body.</summary>
    /// <exception cref="StripeEventFormatException">The body is not a Stripe event with an <c>evt_</c> id, a type and a data object.</exception>
    public static StripeEvent Parse(ReadOnlySpan<byte> rawBody) => StripeEventParser.Parse(rawBody);

    /// <summary>Parses a webhook body; on failure says why in <paramref name="error"/>. Never throws.</summary>
    public static bool TryParse(
        ReadOnlySpan<byte> rawBody,
        [NotNullWhen(true)] out StripeEvent? stripeEvent,
        [NotNullWhen(false)] out string? error)
    {
        try
        {
            stripeEvent = StripeEventParser.Parse(rawBody);
            error = null;
            return true;
        }
        catch (StripeEventFormatException exception)
        {
            stripeEvent = null;
            error = exception.Message;
            return false;
        }
    }

    /// <summary>Reads <see cref="DataObject"/> as a Checkout Session.</summary>
    /// <exception cref="StripeEventFormatException">It is another kind of object, or lacks what <see cref="CheckoutSession"/> requires.</exception>
    public CheckoutSession ReadCheckoutSession() =>
        StripeObjectReader.Read(DataObject, CheckoutSession.ObjectName, StripeJsonContext.Default.CheckoutSession, Where);

    /// <summary>Reads <see cref="DataObject"/> as a PaymentIntent.</summary>
    /// <exception cref="StripeEventFormatException">It is another kind of object, or lacks what <see cref="PaymentIntent"/> requires.</exception>
    public PaymentIntent ReadPaymentIntent() =>
        StripeObjectReader.Read(DataObject, PaymentIntent.ObjectName, StripeJsonContext.Default.PaymentIntent, Where);

    /// <summary>Reads <see cref="DataObject"/> as a Charge.</summary>
    /// <exception cref="StripeEventFormatException">It is another kind of object, or lacks what <see cref="Charge"/> requires.</exception>
    public Charge ReadCharge() =>
        StripeObjectReader.Read(DataObject, Charge.ObjectName, StripeJsonContext.Default.Charge, Where);

    /// <summary>Reads <see cref="DataObject"/> as a Dispute.</summary>
    /// <exception cref="StripeEventFormatException">It is another kind of object, or lacks what <see cref="Dispute"/> requires.</exception>
    public Dispute ReadDispute() =>
        StripeObjectReader.Read(DataObject, Dispute.ObjectName, StripeJsonContext.Default.Dispute, Where);

    /// <summary>Reads <see cref="DataObject"/> as a Refund.</summary>
    /// <exception cref="StripeEventFormatException">It is another kind of object, or lacks what <see cref="Refund"/> requires.</exception>
    public Refund ReadRefund() =>
        StripeObjectReader.Read(DataObject, Refund.ObjectName, StripeJsonContext.Default.Refund, Where);

    private string Where => $"data.object of {Id} ({Type})";
}
