namespace Grid.Stripe.TestKit.Webhooks;

/// <summary>What stripe-node's constructEvent said of a delivery: accepted under one of the secrets, or each secret's error.</summary>
public sealed record StripeNodeVerdict(bool Accepted, IReadOnlyList<string> Errors);
