using Grid.TestKit;
using Xunit;

namespace Grid.Storage.Tests;

/// <summary>
/// The store contract on PostgreSQL (GRID_TEST_POSTGRES): every database a test asks for is a new one
/// on that server, dropped when the test ends. Its text sorts by en-US rules (case and punctuation weigh little), as
/// a database made with a system locale does: no order the grid shows may depend on the database's collation.
/// </summary>
public sealed class PostgresStorageTests : StorageContractTests
{
    private readonly List<PostgresTestDatabase> _created = [];

    [Fact]
    public async Task A_load_waits_for_a_transaction_holding_the_account_row_so_it_never_reads_past_a_commit_still_under_way()
    {
        await Ledger.AppendAsync([Append("acct-in-doubt", 0, 2)], Ct);

        // A commit whose answer the writer lost is still under way on the server, holding the row.
        await using var other = await Database.OpenConnectionAsync(Ct);
        await using var transaction = await other.BeginTransactionAsync(Ct);
        await using (var update = other.CreateCommand())
        {
            update.Transaction = transaction;
            update.CommandText = "UPDATE accounts SET sequence = sequence WHERE account_id = 'acct-in-doubt'";
            Assert.Equal(1, await update.ExecuteNonQueryAsync(Ct));
        }

        var load = Ledger.LoadAsync("acct-in-doubt", Ct);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(load.IsCompleted, "the load read past a transaction still holding the account's row");
        await transaction.CommitAsync(Ct);
        Assert.Equal(2, (await load.WaitAsync(TimeSpan.FromSeconds(10)))?.Sequence);
    }

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
