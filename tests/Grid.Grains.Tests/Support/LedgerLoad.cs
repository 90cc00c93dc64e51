using Xunit;

namespace Grid.Grains.Tests.Support;

/// <summary>The load tests run one at a time: on two cores, running them side by side only makes each slower.</summary>
[CollectionDefinition(Collection)]
public sealed class LedgerLoad
{
    public const string Collection = "ledger load";
}
