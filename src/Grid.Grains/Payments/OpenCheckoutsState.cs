namespace Grid.Grains.Payments;

/// <summary>An account's Checkout Sessions as stored (grain state "open-checkouts").</summary>
public sealed class OpenCheckoutsState
{
    /// <summary>Payment id to when Stripe was last asked for its session.</summary>
    public Dictionary<string, DateTimeOffset> Payments { get; set; } = [];

    /// <summary>When a close of the account began; null when none is under way.</summary>
    public DateTimeOffset? ClosingSince { get; set; }

    /// <summary>The account closed: no session is handed out again.</summary>
    public bool Closed { get; set; }
}
