namespace Grid.Ledger.Persistence;

/// <summary>
/// What one piece of metered work used and cost: a cast, or a whole metered session (written when it closes, dated then,
/// with every unit it billed). One row per (<see cref="Source"/>, <see cref="SourceId"/>), written again with the same
/// values when its grain redoes its ending.
/// </summary>
/// <param name="Source"><c>cast</c> or <c>session</c>.</param>
/// <param name="Units">Units of work (1 for a cast).</param>
/// <param name="ProviderCost">What the provider charged, in credits, when known.</param>
/// <param name="UserPrice">Credits charged to the account for it.</param>
/// <param name="Status">How it ended: <c>completed</c>, <c>failed</c>, <c>timed_out</c>, <c>needs_review</c>.</param>
public sealed record UsageRecord(
    string Source, string SourceId, string AccountId, string? Kind, long Units, decimal? ProviderCost, long UserPrice, string Status, DateTimeOffset At)
{
    /// <summary>Throws <see cref="ArgumentException"/> on a record without its key, its account or its status.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Source);
        ArgumentException.ThrowIfNullOrEmpty(SourceId);
        ArgumentException.ThrowIfNullOrEmpty(AccountId);
        ArgumentException.ThrowIfNullOrEmpty(Status);
    }
}
