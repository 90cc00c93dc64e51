namespace Grid.Chain.Siwe;

/// <summary>
/// The server's single-use sign-in nonces. The server issues a nonce, the client puts it in the message it
/// signs, and verification consumes it, so a captured message and signature cannot be replayed.
/// </summary>
public interface ISiweNonceStore
{
    /// <summary>
    /// Consumes <paramref name="nonce"/>: true exactly once for a nonce this server issued and that has not
    /// expired; false when it is unknown, already consumed or expired. Atomic: of concurrent calls for one
    /// nonce at most one returns true, on every node that shares the store.
    /// </summary>
    ValueTask<bool> TryConsumeAsync(string nonce, CancellationToken cancellationToken);
}
