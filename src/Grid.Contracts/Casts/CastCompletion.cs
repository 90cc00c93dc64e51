namespace Grid.Contracts.Casts;

/// <summary>
/// Ends a cast with what it cost: a <see cref="Price"/> in credits, or a <see cref="ProviderCost"/> the user price is
/// made from (times <see cref="Markup"/>, rounded up, never below the cost). Neither: recorded for review, nothing charged.
/// </summary>
public sealed record CastCompletion(string OperationId, long? Price, decimal? ProviderCost, decimal Markup);
