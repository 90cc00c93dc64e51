using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Auth;

/// <summary>
/// Checks a presented token against the configured admin key. Only SHA-256 digests are kept and compared,
/// in constant time, so neither the key's length nor its prefix leaks through timing.
/// </summary>
public sealed class AdminKeyVerifier(IOptions<AuthOptions> options)
{
    private readonly byte[]? _digest = string.IsNullOrEmpty(options.Value.AdminKey) ? null : Digest(options.Value.AdminKey);

    public bool IsConfigured => _digest is not null;

    public bool Verify(string? presented) =>
        _digest is not null && presented is not null && CryptographicOperations.FixedTimeEquals(_digest, Digest(presented));

    private static byte[] Digest(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
