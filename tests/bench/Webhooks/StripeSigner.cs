using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Grid.Bench.Webhooks;

/// <summary>
/// Signs deliveries as Stripe does: <c>t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>, where v1 is the HMAC-SHA256 of
/// <c>"&lt;t&gt;." + body</c> keyed with the endpoint secret's UTF-8 bytes.
/// </summary>
public sealed class StripeSigner(string secret)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(secret);

    public string Header(long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return string.Create(CultureInfo.InvariantCulture, $"t={unixSeconds},v1={Convert.ToHexStringLower(HMACSHA256.HashData(_key, signed))}");
    }
}
