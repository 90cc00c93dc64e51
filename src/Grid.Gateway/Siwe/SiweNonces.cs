using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Grid.Gateway.Auth;
using Grid.Storage.Stores;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Siwe;

/// <summary>
/// Sign-In with Ethereum nonces, signed rather than stored: a nonce is the hex of its expiry (unix seconds),
/// 10 random bytes and a 12-byte HMAC of both under a key derived from Grid:Auth:TokenSecret. Issuing one writes
/// nothing, so nobody can fill a table by asking for nonces; only a nonce that signs someone in is recorded, as
/// used, until it expires. Any silo can check any silo's nonce.
/// </summary>
public sealed class SiweNonces
{
    /// <summary>Hex of 8 + 10 + 12 bytes; EIP-4361 asks for at least 8 alphanumerics.</summary>
    public const int NonceLength = 60;

    private const int ExpiryBytes = 8;
    private const int RandomBytes = 10;
    private const int MacBytes = 12;
    private const int SignedBytes = ExpiryBytes + RandomBytes;
    private static readonly TimeSpan PurgePeriod = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a used nonce is kept past its expiry. Silos' clocks differ: purged by a silo whose clock runs ahead as soon
    /// as it looks expired there, it could be used again on a silo that still takes it, by whoever saw its signed message.
    /// </summary>
    private static readonly TimeSpan KeptPastExpiry = TimeSpan.FromMinutes(5);
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    private readonly SqlSiweNonceStore _store;
    private readonly IOptions<AuthOptions> _options;
    private readonly TimeProvider _time;
    private readonly byte[]? _key;
    private long _nextPurgeTicks;

    public SiweNonces(SqlSiweNonceStore store, IOptions<AuthOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options;
        _time = time;
        // A key of its own, so a nonce can never pass for a token or the other way round.
        _key = options.Value.DeriveKey("credit grid siwe nonce v1"u8);
    }

    public (string Nonce, DateTimeOffset ExpiresAt) Issue()
    {
        var key = _key ?? throw new InvalidOperationException("No token secret is configured (Grid:Auth:TokenSecret).");
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds((_time.GetUtcNow() + _options.Value.Siwe.NonceLifetime).ToUnixTimeSeconds());
        Span<byte> nonce = stackalloc byte[SignedBytes + MacBytes];
        BinaryPrimitives.WriteInt64BigEndian(nonce, expiresAt.ToUnixTimeSeconds());
        RandomNumberGenerator.Fill(nonce.Slice(ExpiryBytes, RandomBytes));
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, nonce[..SignedBytes], mac);
        mac[..MacBytes].CopyTo(nonce[SignedBytes..]);
        return (Convert.ToHexStringLower(nonce), expiresAt);
    }

    /// <summary>Whether the nonce is one of ours, unexpired and not used yet (nothing is marked).</summary>
    public async ValueTask<bool> IsUsableAsync(string nonce, CancellationToken cancellationToken) =>
        TryRead(nonce, out _) && !await _store.IsUsedAsync(nonce, cancellationToken);

    /// <summary>Marks the nonce used; true only for the first use of a genuine, unexpired nonce.</summary>
    public async Task<bool> TryMarkUsedAsync(string nonce, CancellationToken cancellationToken)
    {
        if (!TryRead(nonce, out var expiresAt))
        {
            return false;
        }

        var now = _time.GetUtcNow();
        await PurgeIfDueAsync(now, cancellationToken);
        return await _store.TryMarkUsedAsync(nonce, now, expiresAt, cancellationToken);
    }

    private bool TryRead(string nonce, out DateTimeOffset expiresAt)
    {
        expiresAt = default;
        Span<byte> bytes = stackalloc byte[SignedBytes + MacBytes];
        // Lower-case only: the used-nonce store is keyed by the text, and hex reads either case.
        if (_key is null || nonce is not { Length: NonceLength } || nonce.AsSpan().ContainsAnyExcept(LowerHex) || Convert.FromHexString(nonce, bytes, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != bytes.Length)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, bytes[..SignedBytes], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..MacBytes], bytes[SignedBytes..]))
        {
            return false;
        }

        var seconds = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (seconds <= 0 || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        expiresAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return expiresAt > _time.GetUtcNow();
    }

    private async Task PurgeIfDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = Interlocked.Read(ref _nextPurgeTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextPurgeTicks, (now + PurgePeriod).UtcTicks, due) != due)
        {
            return;
        }

        await _store.PurgeExpiredAsync(now - KeptPastExpiry, cancellationToken);
    }
}
