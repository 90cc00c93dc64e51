namespace Grid.Stripe.TestKit.Webhooks;

/// <summary>A delivery for stripe-node's constructEvent to judge, received at <paramref name="ReceivedAt"/> (unix seconds).</summary>
public sealed record StripeVerifyRequest(string Payload, string Header, IReadOnlyList<string> Secrets, long Tolerance, long ReceivedAt);
