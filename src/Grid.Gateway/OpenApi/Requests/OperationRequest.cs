using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Grid.Gateway.OpenApi.Requests;

/// <summary>A command that carries nothing but its operation id: void a hold, unfreeze, close.</summary>
internal sealed record OperationRequest
{
    [Description(FieldRules.OperationId)]
    [RegularExpression(FieldRules.IdPattern)]
    public required string OperationId { get; init; }
}
