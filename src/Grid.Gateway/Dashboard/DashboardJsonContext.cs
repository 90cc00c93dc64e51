using System.Text.Json;
using System.Text.Json.Serialization;

namespace Grid.Gateway.Dashboard;

/// <summary>Source-generated JSON for what the dashboard sends: to browsers, and between silos.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SiloReading))]
[JsonSerializable(typeof(DashboardFrame))]
[JsonSerializable(typeof(DashboardSnapshot))]
[JsonSerializable(typeof(IReadOnlyList<DashboardFrame>))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
