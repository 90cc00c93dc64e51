namespace Grid.Contracts.Payments;

/// <summary>An account's auto-reload as callers see it.</summary>
/// <param name="InFlightPaymentId">The off-session payment under way, if any (at most one).</param>
/// <param name="Failures">Failed charges in a row; at <c>MaxFailures</c> auto-reload turns itself off.</param>
/// <param name="NextAttemptAt">No charge is tried before this (backoff after a failure).</param>
/// <param name="DisabledReason">Why auto-reload turned itself off, if it did; saving the settings again turns it on.</param>
public sealed record AutoReloadView(
    string AccountId,
    bool Enabled,
    AutoReloadSettings? Settings,
    string? InFlightPaymentId,
    string? LastPaymentId,
    int Failures,
    DateTimeOffset? NextAttemptAt,
    string? DisabledReason);
