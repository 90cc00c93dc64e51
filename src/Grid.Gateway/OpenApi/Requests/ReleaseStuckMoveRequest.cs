using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Grid.Gateway.OpenApi.Requests;

/// <summary>POST /v1/wallets/{address}/stuck-move/release.</summary>
internal sealed record ReleaseStuckMoveRequest
{
    [Description("The stuck move's operationId, as GET /v1/wallets/{address} shows it: released only if it is still the one stuck.")]
    [RegularExpression(FieldRules.IdPattern)]
    public required string OperationId { get; init; }
}
