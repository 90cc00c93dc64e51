namespace Grid.Grains.Payments;

/// <param name="AmountCents">The disputed amount as first seen; the hold is sized from it.</param>
internal sealed record DisputeFacts(long AmountCents, DisputeState State);
