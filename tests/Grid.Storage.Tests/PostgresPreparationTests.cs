using Grid.Storage.Data;
using Grid.Storage.Dialects;
using Grid.TestKit;
using Npgsql;
using Xunit;

namespace Grid.Storage.Tests;

/// <summary>The grid's hot statements are prepared on PostgreSQL unless the connection string says otherwise.</summary>
public sealed class PostgresPreparationTests
{
    [Theory]
    [InlineData("Host=db", PostgresDialect.DefaultMaxAutoPrepare)]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;MaxAutoPrepare=0", 0)]
    [InlineData("Host=db;max auto prepare=10", 10)]
    public void A_connection_string_that_sets_automatic_preparation_wins_over_the_default(string connectionString, int expected)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);

        PostgresDialect.PrepareHotStatements(builder, connectionString);

        Assert.Equal(expected, builder.MaxAutoPrepare);
    }

    [Fact]
    public async Task A_statement_run_again_on_a_connection_is_prepared_by_the_server()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        await using var database = GridDatabase.Create(test.StorageOptions);
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            await using var command = connection.CreateCommand("SELECT 'grid-prepare-probe'");
            await command.ExecuteScalarAsync();
        }

        await using var prepared = connection.CreateCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%grid-prepare-probe%' AND statement NOT LIKE '%pg_prepared_statements%'");
        Assert.Equal(1L, Convert.ToInt64(await prepared.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
