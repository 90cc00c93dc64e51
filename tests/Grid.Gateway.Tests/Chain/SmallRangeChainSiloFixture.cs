namespace Grid.Gateway.Tests.Chain;

/// <summary>
/// The chain silo with eth_getLogs ranges of at most <see cref="MaxLogRange"/> blocks, so catching up on a few hundred
/// blocks takes many ranges, each written before the next.
/// </summary>
public sealed class SmallRangeChainSiloFixture : ChainSiloFixture
{
    public const int MaxLogRange = 5;

    protected override IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string>
    {
        ["Grid__Chains__0__InitialLogRange"] = MaxLogRange.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Grid__Chains__0__MaxLogRange"] = MaxLogRange.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
