using System.Numerics;

namespace Grid.Chain.TestKit.Contracts;

/// <summary>What a Chainlink-style feed's latestRoundData answers; <see cref="Answer"/> has the feed's decimals (8).</summary>
public sealed record PriceRound(BigInteger RoundId, BigInteger Answer, DateTimeOffset StartedAt, DateTimeOffset UpdatedAt, BigInteger AnsweredInRound);
