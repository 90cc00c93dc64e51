using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Grid.Gateway.Auth;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Dashboard;

/// <summary>
/// The dashboard's sign-in tokens, held in an HttpOnly cookie (a browser cannot put a bearer header on a page
/// load): <c>base64url(expiry ms, sign-in ms, random id).base64url(mac)</c> (<see cref="MacSeal"/>), under a key derived from
/// Grid:Auth:TokenSecret and the admin key's digest. So a token never holds the key, cannot be forged, and dies when
/// the admin key changes; it is useless as a bearer token on the API (it has no <c>gt_</c> form and another key).
/// Without a token secret the key is random per process: a sign-in then lasts until the silo restarts.
/// </summary>
public sealed class DashboardSessions
{
    /// <summary>
    /// The longest a sign-in lasts however often its token is renewed: a stolen cookie kept fresh by page loads dies with
    /// it, and signing out elsewhere cannot reach a copy.
    /// </summary>
    public static readonly TimeSpan MaxSignInAge = TimeSpan.FromHours(12);

    private const int PayloadBytes = 8 + 8 + 16;

    private readonly MacSeal? _seal;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;

    public DashboardSessions(IOptions<AuthOptions> auth, IOptions<DashboardOptions> dashboard, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(auth);
        ArgumentNullException.ThrowIfNull(dashboard);
        _time = time;
        _lifetime = dashboard.Value.SessionLifetime;
        if (string.IsNullOrEmpty(auth.Value.AdminKey))
        {
            return; // no operator, no sign-in
        }

        var secret = string.IsNullOrEmpty(auth.Value.TokenSecret) ? RandomNumberGenerator.GetBytes(32) : Encoding.UTF8.GetBytes(auth.Value.TokenSecret);
        // Domain-separated from the guest and wallet tokens signed with the same secret.
        var context = Encoding.UTF8.GetBytes("grid-dashboard-session-v1:").Concat(SHA256.HashData(Encoding.UTF8.GetBytes(auth.Value.AdminKey))).ToArray();
        _seal = new MacSeal(HMACSHA256.HashData(secret, context));
    }

    /// <summary>A token for a fresh sign-in and when it expires.</summary>
    public (string Token, DateTimeOffset ExpiresAt) Issue() => Issue(_time.GetUtcNow());

    /// <summary>
    /// A new token for the sign-in <paramref name="token"/> belongs to (each page load starts the lifetime again, but never
    /// past <see cref="MaxSignInAge"/> from the sign-in); null when the token is not a genuine, live one.
    /// </summary>
    public (string Token, DateTimeOffset ExpiresAt)? Renew(string? token) =>
        Open(token) is { } session ? Issue(session.SignedInAt) : null;

    /// <summary>When a genuine, unexpired token expires; null for anything else.</summary>
    public DateTimeOffset? Verify(string? token) => Open(token)?.ExpiresAt;

    private (string Token, DateTimeOffset ExpiresAt) Issue(DateTimeOffset signedInAt)
    {
        var seal = _seal ?? throw new InvalidOperationException("No admin key is configured.");
        var now = _time.GetUtcNow();
        var until = now + _lifetime < signedInAt + MaxSignInAge ? now + _lifetime : signedInAt + MaxSignInAge;
        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(until.ToUnixTimeMilliseconds());
        var payload = new byte[PayloadBytes];
        BinaryPrimitives.WriteInt64BigEndian(payload, expiresAt.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(8), signedInAt.ToUnixTimeMilliseconds());
        RandomNumberGenerator.Fill(payload.AsSpan(16));
        return (seal.Seal(payload), expiresAt);
    }

    private (DateTimeOffset ExpiresAt, DateTimeOffset SignedInAt)? Open(string? token)
    {
        if (_seal is null || string.IsNullOrEmpty(token) || token.Length > 128 || _seal.Open(token) is not { Length: PayloadBytes } payload)
        {
            return null;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(payload));
        var signedInAt = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(8)));
        var now = _time.GetUtcNow();
        return expiresAt > now && now < signedInAt + MaxSignInAge ? (expiresAt, signedInAt) : null;
    }
}
