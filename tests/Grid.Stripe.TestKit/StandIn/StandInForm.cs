using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace Grid.Stripe.TestKit.StandIn;

/// <summary>
/// A form body decoded the way Stripe decodes it, with Stripe's answers to what it does not accept: a field
/// given twice, a parameter it does not know, a number or boolean that is not one.
/// </summary>
public sealed class StandInForm
{
    private readonly Dictionary<string, string> _values;

    private StandInForm(List<KeyValuePair<string, string>> fields)
    {
        Fields = fields;
        _values = new(StringComparer.Ordinal);
        foreach (var (key, value) in fields)
        {
            if (!_values.TryAdd(key, value))
            {
                throw new StandInRejection(StandInResponse.InvalidRequest($"Received duplicate parameter: {key}", key));
            }
        }
    }

    internal IReadOnlyList<KeyValuePair<string, string>> Fields { get; }

    internal string? this[string key] => _values.GetValueOrDefault(key);

    /// <summary>The fields of a form body in order, decoded as ASP.NET Core decodes forms; never throws.</summary>
    public static List<KeyValuePair<string, string>> Decode(string body)
    {
        var fields = new List<KeyValuePair<string, string>>();
        using var reader = new FormReader(body);
        while (reader.ReadNextPair() is { } pair)
        {
            fields.Add(pair);
        }

        return fields;
    }

    internal static StandInForm Parse(string body) => new(Decode(body));

    /// <summary>Refuses the first field no pattern matches in full, as Stripe does.</summary>
    internal void AllowOnly(params string[] patterns)
    {
        var regexes = patterns.Select(p => new Regex("^" + p + "$", RegexOptions.CultureInvariant)).ToArray();
        foreach (var (key, _) in Fields)
        {
            if (!regexes.Any(r => r.IsMatch(key)))
            {
                throw new StandInRejection(StandInResponse.InvalidRequest($"Received unknown parameter: {key}", key, "parameter_unknown"));
            }
        }
    }

    internal string Required(string key) =>
        this[key] is { Length: > 0 } value
            ? value
            : throw new StandInRejection(StandInResponse.InvalidRequest($"Missing required param: {key}.", key, "parameter_missing"));

    internal long RequiredInteger(string key)
    {
        var text = Required(key);
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new StandInRejection(StandInResponse.InvalidRequest($"Invalid integer: {text}", key));
    }

    internal bool Boolean(string key)
    {
        var text = this[key];
        return text switch
        {
            null => false,
            "true" => true,
            "false" => false,
            _ => throw new StandInRejection(StandInResponse.InvalidRequest($"Invalid boolean: {text}", key)),
        };
    }

    /// <summary>The entries of a hash parameter such as <c>metadata[...]</c>, checked against Stripe's metadata limits.</summary>
    internal Dictionary<string, string> Metadata(string prefix)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Fields)
        {
            if (key.StartsWith(prefix + "[", StringComparison.Ordinal) && key.EndsWith(']'))
            {
                var name = key[(prefix.Length + 1)..^1];
                if (name.Length > 40 || value.Length > 500)
                {
                    throw new StandInRejection(StandInResponse.InvalidRequest("Metadata keys can have up to 40 characters and values up to 500 characters.", key));
                }

                entries[name] = value;
            }
        }

        return entries.Count > 50
            ? throw new StandInRejection(StandInResponse.InvalidRequest("You can specify up to 50 metadata keys.", prefix))
            : entries;
    }

    /// <summary>The values of an array parameter <c>prefix[0]</c>, <c>prefix[1]</c>, ..., which must start at 0 and have no gaps.</summary>
    internal List<string> List(string prefix)
    {
        var count = Fields.Count(f => Regex.IsMatch(f.Key, "^" + Regex.Escape(prefix) + @"\[\d+\]$"));
        var values = new List<string>();
        for (var i = 0; i < count; i++)
        {
            values.Add(this[$"{prefix}[{i}]"]
                ?? throw new StandInRejection(StandInResponse.InvalidRequest($"Invalid array: {prefix} must be indexed from 0 without gaps", prefix)));
        }

        return values;
    }
}
