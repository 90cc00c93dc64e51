namespace Grid.Grains.Payments;

/// <summary>An account's open Checkout Sessions as stored (grain state "open-checkouts").</summary>
public sealed class OpenCheckoutsState
{
    /// <summary>Payment id to when its session was asked for.</summary>
    public Dictionary<string, DateTimeOffset> Payments { get; set; } = [];

    /// <summary>When a close of the account began; no session is handed out for a while after it.</summary>
    public DateTimeOffset? ClosingSince { get; set; }
}
