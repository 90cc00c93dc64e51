namespace Grid.Stripe.TestKit.Webhooks;

/// <summary>One signature stripe-node is to make: with this secret, under this scheme (v1 unless told).</summary>
public sealed record StripeSignatureSpec(string Secret, string? Scheme = null);
