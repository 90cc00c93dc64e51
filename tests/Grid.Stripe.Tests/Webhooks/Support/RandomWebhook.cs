using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Grid.Stripe.Tests.Webhooks.Support;

/// <summary>Random webhook payloads (valid JSON with raw non-ASCII text, various layouts) and endpoint secrets.</summary>
public static class RandomWebhook
{
    private const string SecretAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    // Pieces of text that stress encodings: accents, CJK, emoji beyond the BMP, JSON escapes, line breaks.
    private static readonly string[] Fragments =
        ["é", "ß", "Ω", "€", "中文", "日本語", "😀", "🧾💳", "\"", "\\", "/", "\n", "\r\n", "\t", " ", "<>&", "'", "\u00a0", "\u2028", "𝄞", "a", "Z", "0"];

    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>An event-like JSON text, sometimes indented (with \n or \r\n), with random non-ASCII strings kept raw.</summary>
    public static string Payload(Random random)
    {
        var note = new StringBuilder();
        for (var i = random.Next(0, 40); i > 0; i--)
        {
            note.Append(Fragments[random.Next(Fragments.Length)]);
        }

        var body = new Dictionary<string, object?>
        {
            ["id"] = "evt_" + Text(random, SecretAlphabet, 24),
            ["object"] = "event",
            ["type"] = "checkout.session.completed",
            ["created"] = 1_700_000_000 + random.Next(0, 100_000_000),
            ["data"] = new Dictionary<string, object?> { ["object"] = new Dictionary<string, object?> { ["note"] = note.ToString(), ["amount"] = random.NextInt64(0, 1L << 53) } },
        };
        var json = JsonSerializer.Serialize(body, random.Next(2) == 0 ? Pretty : Compact);
        return random.Next(3) == 0 ? json.Replace("\n", "\r\n", StringComparison.Ordinal) : json;
    }

    /// <summary>A secret in Stripe's format, <c>whsec_</c> and 32 alphanumerics; now and then with non-ASCII characters, to show the key is the UTF-8 of the whole string.</summary>
    public static string Secret(Random random)
    {
        var secret = "whsec_" + Text(random, SecretAlphabet, 32);
        return random.Next(8) == 0 ? secret + "é😀" : secret;
    }

    private static string Text(Random random, string alphabet, int length) =>
        string.Create(length, (random, alphabet), static (span, state) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = state.alphabet[state.random.Next(state.alphabet.Length)];
            }
        });
}
