namespace Grid.Ledger.Accounts;

/// <summary>An account's balance as of a journal sequence (API.md balance object).</summary>
public readonly record struct Balance(long Available, long Held, long Sequence);
