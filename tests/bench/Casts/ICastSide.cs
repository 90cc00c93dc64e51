using Grid.Bench.Ledger;

namespace Grid.Bench.Casts;

/// <summary>
/// One side of the casts comparison. A lifecycle completes only once its capture is durable; it returns false
/// when the ledger refused the hold (insufficient funds) and throws for anything else.
/// </summary>
public interface ICastSide
{
    string Name { get; }

    /// <summary>Creates and funds the accounts (each with <see cref="LedgerWorkload.Funding"/>); later calls use their indexes.</summary>
    Task PrepareAsync(LedgerWorkload accounts, CancellationToken cancellationToken);

    /// <summary>The id of the prepared account with this index.</summary>
    string AccountId(int account);

    /// <summary>Holds <paramref name="hold"/> on the account for the cast <paramref name="castId"/>, then captures <paramref name="price"/> of it.</summary>
    Task<bool> LifecycleAsync(int account, string castId, long hold, long price);

    /// <summary>What the store says now about the prepared accounts: their balances and the captures in their journal.</summary>
    Task<CastLedgerState> ReadAsync(CancellationToken cancellationToken);
}
