namespace Grid.Gateway.Auth;

/// <summary>Gateway auth settings (configuration section Grid:Auth).</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Grid:Auth";

    /// <summary>The secret's minimum length: HMAC-SHA256 wants a key of at least its output's 32 bytes.</summary>
    public const int MinTokenSecretLength = 32;

    /// <summary>The admin key's minimum length: it may do everything, so it must be as hard to guess as a signing key.</summary>
    public const int MinAdminKeyLength = 32;

    /// <summary>The admin bearer token, at least 32 characters (e.g. <c>openssl rand -hex 32</c>). Unset: every admin route is refused.</summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// Signs guest and wallet session tokens (HMAC-SHA256), at least 32 characters, the same on every silo.
    /// Unset: no token is issued and none is accepted.
    /// </summary>
    public string? TokenSecret { get; set; }

    /// <summary>
    /// A key of its own for one <paramref name="purpose"/>, derived from <see cref="TokenSecret"/> (HMAC-SHA256 over the
    /// purpose), so that what one use signs can never pass for another's; null when no secret is set.
    /// </summary>
    public byte[]? DeriveKey(ReadOnlySpan<byte> purpose) =>
        string.IsNullOrEmpty(TokenSecret) ? null : System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(TokenSecret), purpose);

    /// <summary>How long a guest token lives when the request does not say.</summary>
    public TimeSpan GuestTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest a guest token may be asked to live; short lives stand in for revocation.</summary>
    public TimeSpan MaxGuestTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    public SiweOptions Siwe { get; set; } = new();

    /// <summary>An admin key hard enough to guess, lifetimes that make sense (a default within the maximum), then the SIWE settings.</summary>
    public void Validate()
    {
        if (AdminKey is { Length: > 0 } admin && (admin.Length < MinAdminKeyLength || string.IsNullOrWhiteSpace(admin)))
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(SectionName, typeof(AuthOptions),
                [$"Grid:Auth:AdminKey must be at least {MinAdminKeyLength} characters (it may do everything; e.g. openssl rand -hex 32)."]);
        }

        if (MaxGuestTokenLifetime < TimeSpan.FromMinutes(1) || MaxGuestTokenLifetime > TimeSpan.FromDays(30)
            || GuestTokenLifetime < TimeSpan.FromSeconds(1) || GuestTokenLifetime > MaxGuestTokenLifetime)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(SectionName, typeof(AuthOptions),
                ["Grid:Auth: MaxGuestTokenLifetime must be 1 minute to 30 days, and GuestTokenLifetime 1 s up to MaxGuestTokenLifetime."]);
        }

        Siwe.Validate();
    }
}
