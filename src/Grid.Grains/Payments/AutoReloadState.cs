using Grid.Contracts.Payments;

namespace Grid.Grains.Payments;

/// <summary>An account's auto-reload as stored (grain state "auto-reload").</summary>
public sealed class AutoReloadState
{
    public bool Enabled { get; set; }

    public AutoReloadSettings? Settings { get; set; }

    /// <summary>Charges started so far; numbers the payment ids, so each charge has its own.</summary>
    public int Attempts { get; set; }

    public string? InFlightPaymentId { get; set; }

    /// <summary>What the charge under way asks for, so a start whose answer was lost is sent again the same.</summary>
    public AutoReloadStart? InFlightStart { get; set; }

    /// <summary>When the charge under way was recorded; a state written before this was kept starts counting at its next check.</summary>
    public DateTimeOffset? InFlightSince { get; set; }

    public string? LastPaymentId { get; set; }

    /// <summary>
    /// What the last charge asked for, and when it was recorded: one let go before Stripe ever answered is taken up again
    /// the same, under its own idempotency key, rather than a second charge made for the same dip.
    /// </summary>
    public AutoReloadStart? LastStart { get; set; }

    public DateTimeOffset? LastSince { get; set; }

    public int Failures { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    public string? DisabledReason { get; set; }
}
