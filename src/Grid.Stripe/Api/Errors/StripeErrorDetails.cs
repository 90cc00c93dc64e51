namespace Grid.Stripe.Api.Errors;

/// <summary>The <c>error</c> object of Stripe's error answer, as far as we read it.</summary>
internal sealed record StripeErrorDetails
{
    public string? Type { get; init; }

    public string? Code { get; init; }

    public string? DeclineCode { get; init; }

    public string? Message { get; init; }

    public string? Param { get; init; }

    /// <summary>On a card error of a PaymentIntent: that PaymentIntent (we read its id).</summary>
    public StripeObjectReference? PaymentIntent { get; init; }
}
