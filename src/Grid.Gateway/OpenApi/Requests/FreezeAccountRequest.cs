using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Grid.Gateway.OpenApi.Requests;

/// <summary>POST /v1/accounts/{id}/freeze.</summary>
internal sealed record FreezeAccountRequest
{
    [Description(FieldRules.OperationId)]
    [RegularExpression(FieldRules.IdPattern)]
    public required string OperationId { get; init; }

    [StringLength(FieldRules.MaxTextLength, MinimumLength = 1)]
    public string? Reason { get; init; }
}
