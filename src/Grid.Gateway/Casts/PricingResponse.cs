namespace Grid.Gateway.Casts;

/// <summary>The price table clients quote from before they start a cast.</summary>
internal sealed record PricingResponse(IReadOnlyList<PricedKind> Kinds, decimal Markup, int BufferPercent);

/// <summary>A job kind and its price; <see cref="Held"/> is what a cast of it holds with the default buffer.</summary>
internal sealed record PricedKind(string Kind, long Credits, long Held);
