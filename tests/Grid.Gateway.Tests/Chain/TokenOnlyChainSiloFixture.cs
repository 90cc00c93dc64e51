namespace Grid.Gateway.Tests.Chain;

/// <summary>The chain silo selling credits for the test token only: no ETH rate and no price feed.</summary>
public sealed class TokenOnlyChainSiloFixture : ChainSiloFixture
{
    protected override IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string>
    {
        ["Grid__Chains__0__Eth__CreditsPerEth"] = "",
    };
}
