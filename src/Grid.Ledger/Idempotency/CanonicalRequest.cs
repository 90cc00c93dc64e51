using System.Text;

namespace Grid.Ledger.Idempotency;

/// <summary>
/// A command's arguments as <c>name=value&amp;name=value</c> (values percent-encoded, fixed order), stored
/// with its journal entry. A repeated operation id is compared field by field, so a conflict can name
/// the field that differs.
/// </summary>
public static class CanonicalRequest
{
    public static string Build(params ReadOnlySpan<(string Name, string? Value)> fields)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in fields)
        {
            if (text.Length > 0)
            {
                text.Append('&');
            }

            // A missing value and an empty one differ: "name" versus "name=".
            text.Append(name);
            if (value is not null)
            {
                text.Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        return text.ToString();
    }

    /// <summary>The first field whose value differs between two requests, or null when they are the same.</summary>
    public static string? FirstDifference(string stored, string current)
    {
        if (string.Equals(stored, current, StringComparison.Ordinal))
        {
            return null;
        }

        var before = Parse(stored);
        var now = Parse(current);
        foreach (var (name, value) in now)
        {
            if (!before.TryGetValue(name, out var old) || !string.Equals(old, value, StringComparison.Ordinal))
            {
                return name;
            }
        }

        // Same fields with the same values can only differ by a field the stored request has and this one lacks.
        return before.Keys.FirstOrDefault(k => !now.ContainsKey(k)) ?? "operationId";
    }

    /// <summary>The value of field <paramref name="name"/> in a request, or null when it is absent or has none.</summary>
    public static string? ValueOf(string request, string name) =>
        Parse(request).GetValueOrDefault(name);

    private static Dictionary<string, string?> Parse(string request)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var part in request.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            fields[equals < 0 ? part : part[..equals]] = equals < 0 ? null : Uri.UnescapeDataString(part[(equals + 1)..]);
        }

        return fields;
    }
}
