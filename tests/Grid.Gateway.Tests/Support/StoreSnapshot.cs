using Microsoft.Data.Sqlite;

namespace Grid.Gateway.Tests.Support;

/// <summary>
/// Every row of every table of a silo's SQLite store, as sorted text, to tell whether anything was written.
/// <c>api_keys.last_used_at</c> is left out: using a key to be refused is still using it.
/// </summary>
public static class StoreSnapshot
{
    private static readonly HashSet<string> IgnoredColumns = new(StringComparer.OrdinalIgnoreCase) { "last_used_at" };

    public static async Task<IReadOnlyDictionary<string, string[]>> TakeAsync(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "grid.db");
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var snapshot = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var table in tables.Where(t => t is not "membership"))
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                var cells = Enumerable.Range(0, reader.FieldCount)
                    .Where(i => !IgnoredColumns.Contains(reader.GetName(i)))
                    .Select(i => $"{reader.GetName(i)}={(reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))}");
                rows.Add(string.Join(", ", cells));
            }

            snapshot[table] = [.. rows.Order(StringComparer.Ordinal)];
        }

        return snapshot;
    }
}
