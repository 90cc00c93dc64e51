using System.Text.Json;
using System.Text.Json.Serialization;
using Grid.Ledger.Accounts;

namespace Grid.Ledger.Persistence;

/// <summary>The stored form of an account snapshot (source-generated; enums by name).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(AccountSnapshot))]
public sealed partial class LedgerJsonContext : JsonSerializerContext;

public static class LedgerJson
{
    public static string Serialize(AccountSnapshot snapshot) =>
        JsonSerializer.Serialize(snapshot, LedgerJsonContext.Default.AccountSnapshot);

    public static AccountSnapshot Deserialize(string json) =>
        JsonSerializer.Deserialize(json, LedgerJsonContext.Default.AccountSnapshot)
        ?? throw new FormatException("Stored account snapshot is empty.");
}
