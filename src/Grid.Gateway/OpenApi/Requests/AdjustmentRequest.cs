using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Grid.Gateway.OpenApi.Requests;

/// <summary>POST /v1/accounts/{id}/adjustments.</summary>
internal sealed record AdjustmentRequest
{
    [Description(FieldRules.OperationId)]
    [RegularExpression(FieldRules.IdPattern)]
    public required string OperationId { get; init; }

    [Description("Credits to add (positive) or take (negative); never 0.")]
    [Range(typeof(long), FieldRules.MinSignedAmount, FieldRules.MaxAmount)]
    public required long Amount { get; init; }

    [Description("Why the operator corrects the balance.")]
    [StringLength(FieldRules.MaxTextLength, MinimumLength = 1)]
    public required string Reason { get; init; }
}
