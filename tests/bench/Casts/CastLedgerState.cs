namespace Grid.Bench.Casts;

/// <summary>One side's store after a run: each prepared account's balance, and the capture entries of its journal.</summary>
/// <param name="Balances">Available and held credits by account id.</param>
/// <param name="Captures">Capture entries in the journal of the prepared accounts.</param>
/// <param name="DistinctCaptures">Distinct operation ids among them (fewer would mean a capture journaled twice).</param>
/// <param name="UsageRecords">Usage rows the casts wrote (the grid's only; null for a side that keeps none).</param>
public sealed record CastLedgerState(
    IReadOnlyDictionary<string, (long Available, long Held)> Balances,
    long Captures,
    long DistinctCaptures,
    long? UsageRecords);
