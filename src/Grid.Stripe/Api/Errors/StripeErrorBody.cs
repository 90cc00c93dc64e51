namespace Grid.Stripe.Api.Errors;

/// <summary>Stripe's error answer: <c>{"error": {...}}</c>.</summary>
internal sealed record StripeErrorBody
{
    public StripeErrorDetails? Error { get; init; }
}
