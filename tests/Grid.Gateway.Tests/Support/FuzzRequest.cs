using System.Text;

namespace Grid.Gateway.Tests.Support;

/// <summary>
/// One generated request, kept as data so a failure can say exactly what was sent. <see cref="Target"/> is the
/// path and query, appended to the origin as it is (so "//x" stays a path, not a host).
/// </summary>
public sealed record FuzzRequest(
    int Index,
    string Method,
    string Target,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[]? Body,
    string? ContentType,
    string Kind,
    bool Chunked = false)
{
    public HttpRequestMessage ToMessage(Uri origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var message = new HttpRequestMessage(new HttpMethod(Method), new Uri(origin.GetLeftPart(UriPartial.Authority) + Target));
        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (Body is not null)
        {
            message.Content = Chunked ? new ChunkedContent(Body) : new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        return message;
    }

    /// <summary>A readable account of the request: headers and body shortened, secrets cut to their start.</summary>
    public override string ToString()
    {
        var text = new StringBuilder($"#{Index} [{Kind}] {Method} {Shorten(Target, 200)}");
        foreach (var (name, value) in Headers)
        {
            text.Append($" | {name}: {Shorten(value, 60)}");
        }

        if (Body is not null)
        {
            text.Append($" | Content-Type: {ContentType ?? "(none)"} | body ({Body.Length} bytes{(Chunked ? ", chunked" : "")}): {Shorten(Encoding.UTF8.GetString(Body), 300)}");
        }

        return text.ToString();
    }

    private static string Shorten(string value, int length) => value.Length <= length ? value : $"{value[..length]}... ({value.Length} chars)";
}
