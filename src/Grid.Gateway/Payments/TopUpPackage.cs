namespace Grid.Gateway.Payments;

/// <summary>A top-up on sale (configuration <c>Grid:TopUps:Packages</c>): so many credits for so many cents.</summary>
public sealed class TopUpPackage
{
    public string Id { get; set; } = "";

    public long Credits { get; set; }

    public long PriceCents { get; set; }
}
