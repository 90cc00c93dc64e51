using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;

namespace Grid.Gateway.OpenApi.Requests;

/// <summary>POST /v1/accounts/{id}/deposits.</summary>
internal sealed record DepositRequest
{
    [Description(FieldRules.OperationId)]
    [RegularExpression(FieldRules.IdPattern)]
    public required string OperationId { get; init; }

    [Description("Credits to add.")]
    [Range(typeof(long), "1", FieldRules.MaxAmount)]
    public required long Amount { get; init; }

    [Description("Where the credits came from (a payment id, for one).")]
    [StringLength(FieldRules.MaxTextLength, MinimumLength = 1)]
    public string? Reference { get; init; }

    [Description(FieldRules.Metadata)]
    public JsonObject? Metadata { get; init; }
}
