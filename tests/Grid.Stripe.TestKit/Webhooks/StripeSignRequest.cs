namespace Grid.Stripe.TestKit.Webhooks;

/// <summary>A delivery for stripe-node to sign: the payload, the timestamp and one signature per entry, in order.</summary>
public sealed record StripeSignRequest(string Payload, long Timestamp, IReadOnlyList<StripeSignatureSpec> Signatures);
