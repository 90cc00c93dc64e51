using Grid.Storage.Migrations;
using Xunit;

namespace Grid.Storage.Tests;

public sealed class MigrationCatalogTests
{
    [Fact]
    public void Both_dialects_ship_the_same_migration_versions_and_names()
    {
        var sqlite = MigrationCatalog.Load("sqlite");
        var postgres = MigrationCatalog.Load("postgres");

        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite.Select(m => (m.Version, m.Name)), postgres.Select(m => (m.Version, m.Name)));
        Assert.Equal(Enumerable.Range(1, sqlite.Count), sqlite.Select(m => m.Version));
    }
}
