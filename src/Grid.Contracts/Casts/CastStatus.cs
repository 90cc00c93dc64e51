namespace Grid.Contracts.Casts;

/// <summary>Where a cast is; shown lower-case with '_' between words.</summary>
public enum CastStatus
{
    /// <summary>Held, the work under way.</summary>
    Running,

    /// <summary>Settled for its price; the rest of the hold released.</summary>
    Completed,

    /// <summary>Failed; the hold voided.</summary>
    Failed,

    /// <summary>Ran past its timeout; the hold voided by the cast's reminder.</summary>
    TimedOut,

    /// <summary>Ended without a cost that could be charged (unknown cost, or a price beyond what the account could pay): a person decides.</summary>
    NeedsReview,
}
