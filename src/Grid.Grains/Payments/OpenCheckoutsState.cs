namespace Grid.Grains.Payments;

/// <summary>An account's Checkout Sessions as stored (grain state "open-checkouts").</summary>
public sealed class OpenCheckoutsState
{
    /// <summary>Payment id to when Stripe was last asked for its session.</summary>
    public Dictionary<string, DateTimeOffset> Payments { get; set; } = [];

    /// <summary>The closes under way: token to when each began.</summary>
    public Dictionary<string, DateTimeOffset> Closes { get; set; } = [];

    /// <summary>The account closed: no session is handed out again.</summary>
    public bool Closed { get; set; }
}
