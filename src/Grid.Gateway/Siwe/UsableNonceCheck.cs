using Grid.Chain.Siwe;

namespace Grid.Gateway.Siwe;

/// <summary>
/// What the verifier's last step (consuming the nonce) means here: only a check that the nonce is usable. The
/// gateway marks it used itself, after the wallet's account is open and the session can be issued, so that a
/// sign-in failing in between (a busy account grain, a message expiring this very second) does not spend it.
/// Two racing uses of one nonce still meet at the store's insert, where exactly one wins.
/// </summary>
internal sealed class UsableNonceCheck(SiweNonces nonces) : ISiweNonceStore
{
    public ValueTask<bool> TryConsumeAsync(string nonce, CancellationToken cancellationToken) => nonces.IsUsableAsync(nonce, cancellationToken);
}
