namespace Grid.Gateway.Payments;

/// <summary>A transaction for a wallet to send: the address and its calldata.</summary>
internal sealed record TransactionCall(string To, string Data);
