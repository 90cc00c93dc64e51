using System.Security.Cryptography;
using Grid.Chain.Siwe;
using Grid.Gateway.Auth;
using Grid.Storage.Stores;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Siwe;

/// <summary>
/// Issues and consumes Sign-In with Ethereum nonces (stored, so any silo can accept a message whose nonce
/// another silo issued, and only once). Nonces are 24 characters of [A-Za-z0-9], about 143 bits. The
/// outstanding count is capped and expired nonces are purged at most once a minute, so the table stays bounded.
/// </summary>
public sealed class SiweNonces(SqlSiweNonceStore store, IOptions<AuthOptions> options, TimeProvider time) : ISiweNonceStore
{
    public const int NonceLength = 24;

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static readonly TimeSpan PurgePeriod = TimeSpan.FromMinutes(1);

    private long _nextPurgeTicks;

    /// <summary>A new nonce and its expiry; null when the cap of outstanding nonces is reached.</summary>
    public async Task<(string Nonce, DateTimeOffset ExpiresAt)?> IssueAsync(CancellationToken cancellationToken)
    {
        var siwe = options.Value.Siwe;
        var now = time.GetUtcNow();
        await PurgeIfDueAsync(now, cancellationToken);
        if (await store.CountOutstandingAsync(now, cancellationToken) >= siwe.MaxOutstandingNonces)
        {
            return null;
        }

        var nonce = RandomNumberGenerator.GetString(Alphabet, NonceLength);
        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds((now + siwe.NonceLifetime).ToUnixTimeMilliseconds());
        await store.InsertAsync(nonce, now, expiresAt, cancellationToken);
        return (nonce, expiresAt);
    }

    /// <summary>True exactly once for an issued, unexpired nonce.</summary>
    public async ValueTask<bool> TryConsumeAsync(string nonce, CancellationToken cancellationToken) =>
        await store.TryConsumeAsync(nonce, time.GetUtcNow(), cancellationToken);

    private async Task PurgeIfDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = Interlocked.Read(ref _nextPurgeTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextPurgeTicks, (now + PurgePeriod).UtcTicks, due) != due)
        {
            return;
        }

        await store.PurgeExpiredAsync(now, cancellationToken);
    }
}
