using System.Globalization;
using System.Text.Json;
using Grid.Ledger.Idempotency;

namespace Grid.Gateway.Accounts;

/// <summary>
/// A request's JSON object, read field by field. Every problem (missing, wrong type, out of range) is
/// collected under the field's name instead of thrown, so one 400 names all of them; a getter whose
/// field is bad returns a placeholder that is never used, because the caller checks <see cref="IsValid"/>.
/// Fields the route does not know are ignored.
/// </summary>
internal sealed class RequestBody
{
    private readonly JsonElement _root;
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _fieldNames = new(StringComparer.Ordinal);

    /// <param name="root">The body's object, or <c>default</c> for an empty body (every field absent).</param>
    public RequestBody(JsonElement root) => _root = root;

    public bool IsValid => _errors.Count == 0;

    /// <summary>Whether <paramref name="field"/> was already refused (missing, or of the wrong type).</summary>
    public bool HasError(string field) => _errors.ContainsKey(field);

    public IReadOnlyDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>
    /// Says that the ledger's argument <paramref name="ledgerField"/> came from this body's <paramref name="bodyField"/>,
    /// so a refusal that names the former (an idempotency conflict) names what the client sent.
    /// </summary>
    public void MapField(string ledgerField, string bodyField) => _fieldNames[ledgerField] = bodyField;

    /// <summary>The body's name for a field the ledger named.</summary>
    public string FieldName(string ledgerField) => _fieldNames.GetValueOrDefault(ledgerField, ledgerField);

    public void AddError(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    /// <summary>A required id of 1..128 characters of [A-Za-z0-9_.:-] (the operation id grammar).</summary>
    public string RequiredId(string field) =>
        OptionalId(field) ?? Missing(field, string.Empty);

    public string? OptionalId(string field)
    {
        var value = OptionalString(field);
        if (value is not null && !OperationIds.IsValid(value))
        {
            AddError(field, $"{field} must be 1 to {OperationIds.MaxLength} characters of A-Z, a-z, 0-9, '_', '.', ':' or '-'.");
        }

        return value;
    }

    public string RequiredString(string field) => OptionalString(field) ?? Missing(field, string.Empty);

    /// <summary>A string, or null when the field is absent or JSON null.</summary>
    public string? OptionalString(string field)
    {
        if (!TryGet(field, out var element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            AddError(field, $"{field} must be a string.");
            return null;
        }

        var value = element.GetString()!;
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            // PostgreSQL text cannot hold U+0000: refused here, on every store alike, rather than failing the write.
            AddError(field, $"{field} must not contain the NUL character (\\u0000).");
            return null;
        }

        return value;
    }

    /// <summary>An array of strings, or null when the field is absent or JSON null.</summary>
    public IReadOnlyList<string>? OptionalStrings(string field)
    {
        if (!TryGet(field, out var element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Array || element.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            AddError(field, $"{field} must be an array of strings.");
            return null;
        }

        return element.EnumerateArray().Select(e => e.GetString()!).ToArray();
    }

    public long RequiredInteger(string field, long min, long max) =>
        OptionalInteger(field, min, max) ?? Missing(field, 0L);

    /// <summary>
    /// An integer in <paramref name="min"/>..<paramref name="max"/>. JSON numbers with a fraction part of
    /// zero (<c>5.0</c>) count as integers; strings, fractions and anything out of range do not.
    /// </summary>
    public long? OptionalInteger(string field, long min, long max)
    {
        if (!TryGet(field, out var element))
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.Number && TryGetInteger(element, out var value) && value >= min && value <= max)
        {
            return value;
        }

        AddError(field, $"{field} must be an integer from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
        return null;
    }

    /// <summary>A decimal number in <paramref name="min"/>..<paramref name="max"/> (a JSON number; strings are refused).</summary>
    public decimal? OptionalDecimal(string field, decimal min, decimal max)
    {
        if (!TryGet(field, out var element))
        {
            return null;
        }

        if (ExactJsonNumber.TryGetDecimal(element, out var value) && value >= min && value <= max)
        {
            return value;
        }

        AddError(field, $"{field} must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, exact in 28 digits.");
        return null;
    }

    /// <summary>A JSON number above 0 and at most <paramref name="max"/>, read exactly (as a decimal, never a double).</summary>
    public decimal RequiredPositiveDecimal(string field, decimal max)
    {
        if (!TryGet(field, out var element))
        {
            return Missing(field, 0m);
        }

        if (ExactJsonNumber.TryGetDecimal(element, out var value) && value > 0 && value <= max)
        {
            return value;
        }

        AddError(field, $"{field} must be a number above 0 and at most {max.ToString(CultureInfo.InvariantCulture)}, exact in 28 digits.");
        return 0m;
    }

    public bool OptionalBoolean(string field, bool fallback)
    {
        if (!TryGet(field, out var element))
        {
            return fallback;
        }

        if (element.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return element.GetBoolean();
        }

        AddError(field, $"{field} must be true or false.");
        return fallback;
    }

    /// <summary>A JSON object, returned as its compact JSON text (what the journal stores).</summary>
    public string? OptionalObject(string field)
    {
        if (!TryGet(field, out var element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            AddError(field, $"{field} must be a JSON object.");
            return null;
        }

        // Written back compactly, so the same object sent with other whitespace is the same request.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            element.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static bool TryGetInteger(JsonElement element, out long value)
    {
        if (element.TryGetInt64(out value))
        {
            return true;
        }

        // 5.0 or 5e2: whole numbers written another way. decimal holds every long exactly.
        if (ExactJsonNumber.TryGetDecimal(element, out var number) && number == decimal.Truncate(number) && number is >= long.MinValue and <= long.MaxValue)
        {
            value = (long)number;
            return true;
        }

        value = 0;
        return false;
    }

    private bool TryGet(string field, out JsonElement element)
    {
        element = default;
        return _root.ValueKind == JsonValueKind.Object
            && _root.TryGetProperty(field, out element)
            && element.ValueKind != JsonValueKind.Null;
    }

    private T Missing<T>(string field, T placeholder)
    {
        if (!_errors.ContainsKey(field))
        {
            AddError(field, $"{field} is required.");
        }

        return placeholder;
    }
}
