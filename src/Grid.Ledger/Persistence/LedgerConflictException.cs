namespace Grid.Ledger.Persistence;

/// <summary>The stored account moved on since this writer read it (another activation wrote): fencing did its job.</summary>
public sealed class LedgerConflictException(string accountId, long expectedSequence)
    : Exception($"Account {accountId} is no longer at sequence {expectedSequence} in the store; another writer got there first.")
{
    public string AccountId { get; } = accountId;

    public long ExpectedSequence { get; } = expectedSequence;
}
