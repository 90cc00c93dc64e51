using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Grid.Runtime.Transport;

/// <summary>
/// The JSON settings for arguments and results that cross silos: web defaults, enums by name, and the
/// resolvers the application registered (source-generated contexts first; reflection for the rest).
/// </summary>
public sealed class GrainCallSerializer
{
    public GrainCallSerializer(IEnumerable<IJsonTypeInfoResolver> resolvers)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        foreach (var resolver in resolvers)
        {
            options.TypeInfoResolverChain.Add(resolver);
        }

        options.TypeInfoResolverChain.Add(new DefaultJsonTypeInfoResolver());
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly();
        Options = options;
    }

    public JsonSerializerOptions Options { get; }
}
