using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Grid.Storage.Stores;

namespace Grid.Gateway.Auth;

/// <summary>
/// Issues and checks account API keys: <c>gk_&lt;key id&gt;_&lt;secret&gt;</c>, the secret 32 random bytes
/// (base64url). Only the secret's SHA-256 is stored; it is compared in constant time. The key id is not
/// secret: listings show <c>gk_&lt;key id&gt;</c> as the key's prefix.
/// </summary>
public sealed class ApiKeys(SqlApiKeyStore store, TimeProvider time)
{
    public const string Prefix = "gk_";

    /// <summary>Uses are recorded at most this often per key, so a busy key does not write on every request.</summary>
    public static readonly TimeSpan LastUsedGranularity = TimeSpan.FromMinutes(1);

    private const int KeyIdBytes = 9;
    private const int SecretBytes = 32;

    /// <summary>A new key for the account; the returned string is the only time its secret exists outside the caller.</summary>
    public async Task<(ApiKeyRecord Record, string Key)> IssueAsync(string accountId, IReadOnlyCollection<ApiScope> scopes, string? name, CancellationToken cancellationToken)
    {
        var keyId = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(KeyIdBytes));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
        var record = new ApiKeyRecord(
            keyId, accountId, name, string.Join(' ', scopes.Distinct().Order().Select(ApiScopes.Name)), Hash(secret), Truncate(time.GetUtcNow()), null, null);
        await store.InsertAsync(record, cancellationToken);
        return (record, $"{Prefix}{keyId}_{secret}");
    }

    /// <summary>The caller a presented key stands for; null when it is malformed, unknown, revoked or wrong.</summary>
    public async Task<GridCaller?> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!TryParse(token, out var keyId, out var secret) || await store.FindAsync(keyId, cancellationToken) is not { RevokedAt: null } record)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(record.SecretHash), Encoding.ASCII.GetBytes(Hash(secret))))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (record.LastUsedAt is not { } used || now - used >= LastUsedGranularity)
        {
            await store.TouchAsync(record.KeyId, Truncate(now), cancellationToken);
        }

        return new GridCaller(CallerKind.ApiKey, record.AccountId, ApiScopes.Highest(record.Scopes), record.KeyId);
    }

    public static string PrefixOf(ApiKeyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Prefix + record.KeyId;
    }

    private static bool TryParse(string token, out string keyId, out string secret)
    {
        keyId = secret = string.Empty;
        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        // Base64url may itself contain '_': the id has a fixed length, so the token splits there, not at the first '_'.
        var rest = token.AsSpan(Prefix.Length);
        var idLength = Base64Url.GetEncodedLength(KeyIdBytes);
        if (rest.Length != idLength + 1 + Base64Url.GetEncodedLength(SecretBytes) || rest[idLength] != '_')
        {
            return false;
        }

        keyId = rest[..idLength].ToString();
        secret = rest[(idLength + 1)..].ToString();
        return Base64Url.IsValid(keyId) && Base64Url.IsValid(secret);
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static DateTimeOffset Truncate(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());
}
