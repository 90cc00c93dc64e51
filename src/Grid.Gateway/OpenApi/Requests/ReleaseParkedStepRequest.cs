using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Grid.Gateway.OpenApi.Requests;

/// <summary>POST /v1/sessions/{id}/parked/release.</summary>
internal sealed record ReleaseParkedStepRequest
{
    [Description("The parked step's operationId, as GET /v1/sessions/{id}/parked shows it.")]
    [RegularExpression(FieldRules.IdPattern)]
    public required string OperationId { get; init; }
}
