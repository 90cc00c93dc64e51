namespace Grid.Gateway.Tests.Chain;

/// <summary>The chain silo following at most two deposits at once: a third waits until the first two leave the reorg window.</summary>
public sealed class TrackedCapChainSiloFixture : ChainSiloFixture
{
    protected override IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string>
    {
        ["Grid__Chains__0__MaxTrackedDeposits"] = "2",
    };
}
