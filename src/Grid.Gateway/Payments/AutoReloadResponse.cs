using Grid.Contracts.Payments;

namespace Grid.Gateway.Payments;

/// <summary>An account's auto-reload: settings, the charge under way, failures and backoff.</summary>
internal sealed record AutoReloadResponse(
    string AccountId,
    bool Enabled,
    string? CustomerId,
    string? PaymentMethodId,
    long? ThresholdCredits,
    long? AmountCents,
    long? TargetCredits,
    string? InFlightPaymentId,
    string? LastPaymentId,
    int Failures,
    DateTimeOffset? NextAttemptAt,
    string? DisabledReason)
{
    public static AutoReloadResponse From(AutoReloadView view) => new(
        view.AccountId,
        view.Enabled,
        view.Settings?.CustomerId,
        view.Settings?.PaymentMethodId,
        view.Settings?.ThresholdCredits,
        view.Settings?.AmountCents,
        view.Settings?.TargetCredits,
        view.InFlightPaymentId,
        view.LastPaymentId,
        view.Failures,
        view.NextAttemptAt,
        view.DisabledReason);
}
