namespace Grid.Stripe.Api.Objects;

/// <summary>What every Stripe API object has: its id and its <c>object</c> type name.</summary>
public interface IStripeObject
{
    string Id { get; }

    string ObjectType { get; }
}
