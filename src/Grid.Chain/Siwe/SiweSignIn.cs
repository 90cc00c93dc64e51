using Grid.Chain.Addresses;

namespace Grid.Chain.Siwe;

/// <summary>An accepted sign-in: who signed, for which chain, and until when the message said it holds.</summary>
/// <param name="Address">The signer, the message's address (its EIP-55 form is <c>Address.ToString()</c>).</param>
/// <param name="ChainId">The chain the session is bound to.</param>
/// <param name="ExpiresAt">The message's expiration time, or null when it set none.</param>
/// <param name="Message">The whole verified message.</param>
public sealed record SiweSignIn(EthereumAddress Address, ulong ChainId, DateTimeOffset? ExpiresAt, SiweMessage Message);
