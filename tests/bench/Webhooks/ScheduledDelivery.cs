namespace Grid.Bench.Webhooks;

/// <summary>One delivery: a payment's first, or a duplicate of it.</summary>
public readonly record struct ScheduledDelivery(int Payment, bool Duplicate);
