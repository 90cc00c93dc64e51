namespace Grid.Chain.Kit.Tests.Support;

/// <summary>The test classes that share one compilation of the contracts; each test still starts its own node.</summary>
[CollectionDefinition(Name)]
public sealed class ChainCollection : ICollectionFixture<ChainFixture>
{
    public const string Name = "chain";
}
