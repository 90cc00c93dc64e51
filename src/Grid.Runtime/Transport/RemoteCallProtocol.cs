using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Grid.Runtime.Transport;

/// <summary>
/// Grain calls between silos: <c>POST /grid/v1/calls</c> over HTTP/2 on the cluster port, the cluster secret as a
/// bearer token, opens a call stream (401 without the secret). The request body and the response body then carry
/// <see cref="CallFrames"/> for as long as both sides keep it: calls one way, each a JSON object naming the grain,
/// interface, method id, timeout and arguments; answers the other way, in the order they finish: the result's JSON,
/// a <see cref="RemoteError"/>, "not owner" (both sides read the membership again and the caller retries), "cannot
/// read the call", or "stopping, did not run".
/// </summary>
public static class RemoteCallProtocol
{
    public const string Path = "/grid/v1/calls";

    /// <summary>GET: the silo's <see cref="ClusterManifest"/>, for embedded clients (same secret).</summary>
    public const string ManifestPath = "/grid/v1/cluster";

    /// <summary>Calls and answers are bounded both ways, so one call cannot exhaust a silo.</summary>
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    private static readonly JsonEncodedText TypeProperty = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText KeyProperty = JsonEncodedText.Encode("key");
    private static readonly JsonEncodedText InterfaceProperty = JsonEncodedText.Encode("interface");
    private static readonly JsonEncodedText MethodProperty = JsonEncodedText.Encode("method");
    private static readonly JsonEncodedText TimeoutProperty = JsonEncodedText.Encode("timeoutMs");
    private static readonly JsonEncodedText ArgumentsProperty = JsonEncodedText.Encode("arguments");

    public static byte[] EncodeCall(GrainId target, string grainInterface, GrainCall call, TimeSpan timeout, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(call);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(TypeProperty, target.Type);
            writer.WriteString(KeyProperty, target.Key);
            writer.WriteString(InterfaceProperty, grainInterface);
            writer.WriteString(MethodProperty, call.MethodId);
            writer.WriteNumber(TimeoutProperty, (long)timeout.TotalMilliseconds);
            writer.WritePropertyName(ArgumentsProperty);
            call.WriteArguments(writer, options);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a call's envelope; the arguments stay in the document for the generated reader.</summary>
    public static RemoteCallEnvelope DecodeEnvelope(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A grain call is a JSON object.");
        }

        var type = RequiredString(root, "type");
        var key = root.TryGetProperty("key", out var keyElement) && keyElement.ValueKind == JsonValueKind.String
            ? keyElement.GetString()!
            : throw new JsonException("A grain call names its grain's 'key'.");
        var timeout = root.TryGetProperty("timeoutMs", out var timeoutElement) && timeoutElement.TryGetInt64(out var ms) && ms > 0
            ? TimeSpan.FromMilliseconds(ms)
            : throw new JsonException("A grain call carries a positive 'timeoutMs'.");
        var arguments = root.TryGetProperty("arguments", out var args) ? args : throw new JsonException("A grain call carries 'arguments'.");
        return new RemoteCallEnvelope(new GrainId(type, key), RequiredString(root, "interface"), RequiredString(root, "method"), timeout, arguments);
    }

    public static byte[] EncodeError(RemoteError error, JsonSerializerOptions options) => JsonSerializer.SerializeToUtf8Bytes(error, options);

    public static RemoteError DecodeError(ReadOnlySpan<byte> json, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<RemoteError>(json, options) ?? throw new JsonException("An empty remote error.");

    /// <summary>The bearer value silos present, hashed so comparisons take the same time whatever the input.</summary>
    public static byte[] HashSecret(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool SecretMatches(byte[] expectedHash, string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(expectedHash, HashSecret(presented));

    private static string RequiredString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String && element.GetString() is { Length: > 0 } value
            ? value
            : throw new JsonException($"A grain call names its '{name}'.");
}
