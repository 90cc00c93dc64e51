namespace Grid.Gateway.Tests.Chain;

/// <summary>The chain silo with room for 3 new intents without a credential per client address, refilled at 1 a minute.</summary>
public sealed class IntentBudgetChainSiloFixture : ChainSiloFixture
{
    protected override IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string>
    {
        ["Grid__RateLimits__AnonymousIntentsPerMinute"] = "1",
        ["Grid__RateLimits__AnonymousIntentBurst"] = "3",
    };
}
