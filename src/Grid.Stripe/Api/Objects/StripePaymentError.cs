namespace Grid.Stripe.Api.Objects;

/// <summary>A PaymentIntent's <c>last_payment_error</c>: why its latest attempt failed.</summary>
public sealed record StripePaymentError
{
    public string? Type { get; init; }

    public string? Code { get; init; }

    public string? DeclineCode { get; init; }

    public string? Message { get; init; }
}
