using System.Data.Common;
using Grid.Ledger.Persistence;

namespace Grid.Storage.Stores.Ledger;

/// <summary>The write path of the ledger store for one provider: how a batch of appends reaches the database fastest.</summary>
internal interface ILedgerWriter
{
    /// <summary>
    /// Writes <paramref name="appends"/> (checked, one per account; see <see cref="AppendBatch"/>) in one
    /// transaction on <paramref name="connection"/>, or nothing and throws <see cref="LedgerConflictException"/>.
    /// </summary>
    Task AppendAsync(DbConnection connection, IReadOnlyList<AccountAppend> appends, CancellationToken cancellationToken);
}
