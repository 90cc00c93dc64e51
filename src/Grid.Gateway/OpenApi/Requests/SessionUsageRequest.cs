using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Grid.Gateway.OpenApi.Requests;

/// <summary>POST /v1/sessions/{id}/usage.</summary>
internal sealed record SessionUsageRequest
{
    [Description(FieldRules.OperationId)]
    [RegularExpression(FieldRules.IdPattern)]
    public required string OperationId { get; init; }

    [Description("Units used since the last report.")]
    [Range(typeof(long), "1", "1000000000000")]
    public required long Units { get; init; }
}
