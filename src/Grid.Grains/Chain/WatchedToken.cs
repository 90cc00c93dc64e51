using Grid.Chain.Addresses;

namespace Grid.Grains.Chain;

/// <summary>A configured token, checked and parsed.</summary>
public sealed record WatchedToken(string Symbol, EthereumAddress Address, int Decimals, CreditRate Rate);
