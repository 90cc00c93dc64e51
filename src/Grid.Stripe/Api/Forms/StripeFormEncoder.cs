using System.Globalization;
using System.Text;

namespace Grid.Stripe.Api.Forms;

/// <summary>
/// Builds an <c>application/x-www-form-urlencoded</c> body the way Stripe reads nested parameters
/// (<c>metadata[account_id]=...</c>, <c>line_items[0][quantity]=1</c>). Fields come out in the order they were
/// added; metadata entries in ordinal key order; so the same request always encodes to the same bytes.
/// </summary>
/// <remarks>
/// Encoding: UTF-8, then every byte outside RFC 3986's unreserved set (<c>A-Z a-z 0-9 - . _ ~</c>) is written
/// as <c>%XX</c> with upper-case hex, space included (<c>%20</c>, never <c>+</c>). The one exception is the
/// square brackets of a field name's path, which are written as they are: Stripe accepts them raw or
/// encoded, its own libraries send them raw, and raw brackets keep request logs readable. Brackets inside
/// values are encoded like any other reserved character. Booleans are <c>true</c>/<c>false</c>, integers
/// are invariant digits.
/// </remarks>
public sealed class StripeFormEncoder
{
    public const string MediaType = "application/x-www-form-urlencoded";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly List<KeyValuePair<string, string>> _fields = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>The fields added so far, unencoded, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

    public StripeFormEncoder Add(StripeFormKey key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var name = key.Path;
        if (!_names.Add(name))
        {
            throw new InvalidOperationException($"The form already has a field \"{name}\".");
        }

        _fields.Add(new(name, value));
        return this;
    }

    public StripeFormEncoder Add(StripeFormKey key, long value) => Add(key, value.ToString(CultureInfo.InvariantCulture));

    public StripeFormEncoder Add(StripeFormKey key, bool value) => Add(key, value ? "true" : "false");

    /// <summary>Adds the field only when there is a value: Stripe reads an empty value as "unset".</summary>
    public StripeFormEncoder AddIfPresent(StripeFormKey key, string? value) => value is null ? this : Add(key, value);

    /// <summary>An array: <c>key[0]=a&amp;key[1]=b</c>, in the given order.</summary>
    public StripeFormEncoder AddList(StripeFormKey key, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var index = 0;
        foreach (var value in values)
        {
            Add(key[index++], value);
        }

        return this;
    }

    /// <summary>A string-to-string hash (<c>key[name]=value</c>), in ordinal order of the names.</summary>
    public StripeFormEncoder AddMetadata(StripeFormKey key, IEnumerable<KeyValuePair<string, string>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var (name, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            Add(key[name], value);
        }

        return this;
    }

    /// <summary>The encoded body.</summary>
    public string Encode()
    {
        var text = new StringBuilder();
        foreach (var (name, value) in _fields)
        {
            if (text.Length > 0)
            {
                text.Append('&');
            }

            AppendEscaped(text, name, keepBrackets: true);
            text.Append('=');
            AppendEscaped(text, value, keepBrackets: false);
        }

        return text.ToString();
    }

    /// <summary>The encoded body as bytes (it is ASCII).</summary>
    public byte[] EncodeToBytes() => Encoding.ASCII.GetBytes(Encode());

    /// <summary>Percent-encodes <paramref name="text"/> as described on the class; lone surrogates are refused.</summary>
    internal static void AppendEscaped(StringBuilder into, string text, bool keepBrackets)
    {
        byte[] bytes;
        try
        {
            bytes = StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("The text is not valid UTF-16 (it has a lone surrogate), so it has no UTF-8 form.", nameof(text), e);
        }

        foreach (var b in bytes)
        {
            if (IsUnreserved(b) || (keepBrackets && b is (byte)'[' or (byte)']'))
            {
                into.Append((char)b);
            }
            else
            {
                into.Append('%').Append("0123456789ABCDEF"[b >> 4]).Append("0123456789ABCDEF"[b & 0xF]);
            }
        }
    }

    private static bool IsUnreserved(byte b) =>
        b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~';
}
