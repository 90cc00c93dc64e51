using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Grid.Gateway.OpenApi.Requests;

/// <summary>POST /v1/accounts/{id}/topups/checkout.</summary>
internal sealed record StartCheckoutRequest
{
    [Description(FieldRules.OperationId)]
    [RegularExpression(FieldRules.IdPattern)]
    public required string OperationId { get; init; }

    [Description("A package from GET /v1/topups/packages. Give packageId or amountCents, not both.")]
    public string? PackageId { get; init; }

    [Description("A custom amount in cents (Grid:TopUps:MinAmountCents to MaxAmountCents); buys CreditsPerCent credits a cent.")]
    [Range(1, 99_999_999)]
    public long? AmountCents { get; init; }
}
