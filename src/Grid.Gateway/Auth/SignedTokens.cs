using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Auth;

/// <summary>
/// Guest and wallet session tokens: <c>gt_&lt;payload&gt;.&lt;mac&gt;</c>, both base64url, the MAC an HMAC-SHA256
/// of the encoded payload under Grid:Auth:TokenSecret (<see cref="MacSeal"/>). Nothing is stored: a token is valid
/// while its MAC holds and its expiry has not passed, which is why lifetimes are short and capped.
/// </summary>
public sealed class SignedTokens
{
    public const string Prefix = "gt_";

    /// <summary>Far longer than any token issued here; a longer one is refused before any work is done.</summary>
    public const int MaxTokenLength = 1_024;

    private const int FormatVersion = 1;
    private const int TokenIdBytes = 12;

    private readonly MacSeal? _seal;
    private readonly TimeProvider _time;

    public SignedTokens(IOptions<AuthOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var secret = options.Value.TokenSecret;
        if (!string.IsNullOrEmpty(secret) && secret.Length < AuthOptions.MinTokenSecretLength)
        {
            throw new OptionsValidationException(AuthOptions.SectionName, typeof(AuthOptions),
                [$"Grid:Auth:TokenSecret must be at least {AuthOptions.MinTokenSecretLength} characters (it signs guest and wallet tokens)."]);
        }

        _seal = string.IsNullOrEmpty(secret) ? null : new MacSeal(Encoding.UTF8.GetBytes(secret));
        _time = time;
    }

    public bool IsConfigured => _seal is not null;

    /// <summary>A token for the account, living <paramref name="lifetime"/> from now, and never past <paramref name="notAfter"/>.</summary>
    public (string Token, TokenClaims Claims) Issue(
        CallerKind kind, string accountId, ApiScope scope, string? wallet, TimeSpan lifetime, DateTimeOffset? notAfter = null)
    {
        var seal = _seal ?? throw new InvalidOperationException("No token secret is configured (Grid:Auth:TokenSecret).");
        if (kind is not (CallerKind.GuestToken or CallerKind.WalletSession) || scope is not (ApiScope.Read or ApiScope.Charge) || lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentException("Tokens are guest or wallet sessions with read or charge scope and a positive lifetime.");
        }

        var now = Truncate(_time.GetUtcNow());
        var expiresAt = Truncate(notAfter is { } last && last < now + lifetime ? last : now + lifetime);
        if (expiresAt <= now)
        {
            throw new ArgumentException("A token must expire after it is issued.", nameof(notAfter));
        }

        var claims = new TokenClaims(kind, accountId, scope, wallet, now, expiresAt,
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenIdBytes)));
        return (Prefix + seal.Seal(Serialize(claims)), claims);
    }

    /// <summary>The claims of a genuine, unexpired token; null for anything else.</summary>
    public TokenClaims? Verify(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (_seal is null || token.Length > MaxTokenLength || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var claims = _seal.Open(token.AsSpan(Prefix.Length)) is { } payload ? Deserialize(payload) : null;
        return claims is not null && claims.ExpiresAt > _time.GetUtcNow() ? claims : null;
    }

    private static byte[] Serialize(TokenClaims claims)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", FormatVersion);
            writer.WriteString("k", claims.Kind == CallerKind.GuestToken ? "guest" : "wallet");
            writer.WriteString("a", claims.AccountId);
            writer.WriteString("s", ApiScopes.Name(claims.Scope));
            if (claims.Wallet is not null)
            {
                writer.WriteString("w", claims.Wallet);
            }

            writer.WriteNumber("iat", claims.IssuedAt.ToUnixTimeMilliseconds());
            writer.WriteNumber("exp", claims.ExpiresAt.ToUnixTimeMilliseconds());
            writer.WriteString("jti", claims.TokenId);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Only ever reads payloads this class signed; still, anything unexpected is a refusal, not a guess.</summary>
    private static TokenClaims? Deserialize(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (!root.TryGetProperty("v", out var version) || !version.TryGetInt32(out var v) || v != FormatVersion)
            {
                return null;
            }

            CallerKind? kind = root.GetProperty("k").GetString() switch
            {
                "guest" => CallerKind.GuestToken,
                "wallet" => CallerKind.WalletSession,
                _ => null,
            };
            var account = root.GetProperty("a").GetString();
            var wallet = root.TryGetProperty("w", out var w) ? w.GetString() : null;
            var tokenId = root.GetProperty("jti").GetString();
            if (kind is null || string.IsNullOrEmpty(account) || string.IsNullOrEmpty(tokenId)
                || !ApiScopes.TryParse(root.GetProperty("s").GetString(), out var scope) || scope == ApiScope.Admin)
            {
                return null;
            }

            return new TokenClaims(kind.Value, account, scope, wallet,
                DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("iat").GetInt64()),
                DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("exp").GetInt64()),
                tokenId);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static DateTimeOffset Truncate(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());
}
