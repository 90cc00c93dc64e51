namespace Grid.Gateway.Payments;

/// <summary>The answer to Stripe: 200 with what handling the event did (<c>applied</c>, <c>duplicate</c>, <c>ignored</c>...).</summary>
internal sealed record WebhookReceipt(bool Received, string Outcome);
