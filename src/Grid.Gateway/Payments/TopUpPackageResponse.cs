namespace Grid.Gateway.Payments;

/// <summary>API.md top-up package.</summary>
internal sealed record TopUpPackageResponse(string Id, long Credits, long PriceCents, string Currency);
