using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;

namespace Grid.Gateway.OpenApi.Requests;

/// <summary>POST /v1/accounts/{id}/debits and .../refunds.</summary>
internal sealed record DebitRequest
{
    [Description(FieldRules.OperationId)]
    [RegularExpression(FieldRules.IdPattern)]
    public required string OperationId { get; init; }

    [Range(typeof(long), "1", FieldRules.MaxAmount)]
    public required long Amount { get; init; }

    [Description("What the credits are for; kept as the entry's reference. Give reason or reference, not both.")]
    [StringLength(FieldRules.MaxTextLength, MinimumLength = 1)]
    public string? Reason { get; init; }

    [Description("The same as reason, by the name other movements use.")]
    [StringLength(FieldRules.MaxTextLength, MinimumLength = 1)]
    public string? Reference { get; init; }

    [Description(FieldRules.Metadata)]
    public JsonObject? Metadata { get; init; }
}
