using System.Text.Json;

namespace Grid.Runtime.Persistence;

/// <summary>JSON for stored grain state. Options can carry source-generated contexts for trimming and speed.</summary>
public sealed class GrainStateSerializer(JsonSerializerOptions options)
{
    public GrainStateSerializer()
        : this(new JsonSerializerOptions(JsonSerializerDefaults.Web))
    {
    }

    public string Serialize<T>(T state) => JsonSerializer.Serialize(state, options);

    public T Deserialize<T>(string payload) =>
        JsonSerializer.Deserialize<T>(payload, options) ?? throw new JsonException($"Stored state deserialized to null for {typeof(T)}.");
}
