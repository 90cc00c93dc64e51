namespace Grid.Grains.Chain;

/// <summary>The watched chains (<c>Grid:Chains</c>); empty means the grid takes no on-chain payments.</summary>
public sealed class ChainOptions
{
    public const string SectionName = "Grid:Chains";

    public List<ChainSettings> Chains { get; set; } = [];
}
