namespace Grid.Contracts.Payments;

/// <summary>What handling a card event did; recorded with the event (processed_events.outcome).</summary>
public static class CardEventOutcome
{
    /// <summary>Folded into its payment; any money it moves has moved.</summary>
    public const string Applied = "applied";

    /// <summary>Handled before (the same event id): nothing done again.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>Older than what the payment already knows (a refund total below one applied): nothing to do.</summary>
    public const string Stale = "stale";

    /// <summary>No payment of ours is known for it yet: kept for review, adopted if its payment turns up.</summary>
    public const string Unmatched = "unmatched";

    /// <summary>It contradicts the payment (amount, currency, account state): nothing credited, an operator must look.</summary>
    public const string Review = "review";

    /// <summary>A type the grid does not act on.</summary>
    public const string Ignored = "ignored";
}
