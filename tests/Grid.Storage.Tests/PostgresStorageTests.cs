using Grid.TestKit;

namespace Grid.Storage.Tests;

/// <summary>
/// The store contract on PostgreSQL (GRID_TEST_POSTGRES): every database a test asks for is a new one
/// on that server, dropped when the test ends. Its text sorts by en-US rules (case and punctuation weigh little), as
/// a database made with a system locale does: no order the grid shows may depend on the database's collation.
/// </summary>
public sealed class PostgresStorageTests : StorageContractTests
{
    private readonly List<PostgresTestDatabase> _created = [];

    protected override async Task<StorageOptions> CreateEmptyDatabaseAsync()
    {
        var database = await PostgresTestDatabase.CreateAsync(icuLocale: "en-US");
        _created.Add(database);
        return database.StorageOptions;
    }

    protected override async ValueTask DisposeResourcesAsync()
    {
        foreach (var database in _created)
        {
            await database.DisposeAsync();
        }
    }
}
