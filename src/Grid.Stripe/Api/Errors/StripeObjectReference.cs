namespace Grid.Stripe.Api.Errors;

/// <summary>An embedded Stripe object of which only the id is read.</summary>
internal sealed record StripeObjectReference
{
    public string? Id { get; init; }
}
