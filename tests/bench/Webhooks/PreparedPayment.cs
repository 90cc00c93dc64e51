namespace Grid.Bench.Webhooks;

/// <summary>
/// A paid checkout and the <c>checkout.session.completed</c> delivery Stripe sends for it: the event id, the exact
/// body bytes (the signature covers them), and the account and credits it must add.
/// </summary>
public sealed record PreparedPayment(string AccountId, string PaymentId, long Credits, string EventId, byte[] Body);
