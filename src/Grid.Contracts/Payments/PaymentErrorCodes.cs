namespace Grid.Contracts.Payments;

/// <summary>Stable codes of payment refusals that are not the ledger's.</summary>
public static class PaymentErrorCodes
{
    /// <summary>Stripe refused or could not be reached; nothing was charged. Retry with the same operation id.</summary>
    public const string ProviderError = "payment_provider_error";

    /// <summary>Card payments are not configured on this silo (no Stripe secret key).</summary>
    public const string NotConfigured = "payments_not_configured";
}
