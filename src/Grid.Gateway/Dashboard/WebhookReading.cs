namespace Grid.Gateway.Dashboard;

/// <summary>Webhook deliveries of one provider, event type and outcome received so far.</summary>
public sealed record WebhookReading(string Provider, string Type, string Outcome, long Count);
