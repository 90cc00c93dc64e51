using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Grid.Gateway.OpenApi.Requests;

/// <summary>PUT /v1/accounts/{id}/auto-reload.</summary>
internal sealed record AutoReloadRequest
{
    [Description("The Stripe customer the card is saved on (cus_...).")]
    public required string CustomerId { get; init; }

    [Description("The saved card (pm_...).")]
    public required string PaymentMethodId { get; init; }

    [Description("Charge when available falls below this many credits.")]
    [Range(typeof(long), "1", FieldRules.MaxAmount)]
    public required long ThresholdCredits { get; init; }

    [Description("A fixed charge in cents. Give amountCents or targetCredits, not both.")]
    public long? AmountCents { get; init; }

    [Description("Charge enough to bring available up to this many credits.")]
    public long? TargetCredits { get; init; }
}
