using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Grid.Gateway.OpenApi.Requests;

/// <summary>POST /v1/accounts/{id}/holds.</summary>
internal sealed record PlaceHoldRequest
{
    [Description("Also the hold's id. " + FieldRules.OperationId)]
    [RegularExpression(FieldRules.IdPattern)]
    public required string OperationId { get; init; }

    [Description("Credits to reserve now.")]
    [Range(typeof(long), "1", FieldRules.MaxAmount)]
    public required long Amount { get; init; }

    [Description("When to void the hold if it is still open (at most 30 days); no expiry when absent.")]
    [Range(typeof(long), "1", "2592000")]
    public long? ExpiresInSeconds { get; init; }

    [StringLength(FieldRules.MaxTextLength, MinimumLength = 1)]
    public string? Reference { get; init; }
}
