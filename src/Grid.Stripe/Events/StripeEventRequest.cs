namespace Grid.Stripe.Events;

/// <summary>
/// The API request that caused an event: its id and the Idempotency-Key it was sent with. Both are null for events
/// no API request caused (a customer paying in Checkout, a bank's dispute).
/// </summary>
public sealed record StripeEventRequest(string? Id, string? IdempotencyKey);
