using System.Text.Json;
using System.Text.Json.Serialization;
using Grid.Gateway.Cluster;

namespace Grid.Gateway.Hosting;

/// <summary>Source-generated JSON for the gateway's own response types (camelCase, web defaults).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ClusterView))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
