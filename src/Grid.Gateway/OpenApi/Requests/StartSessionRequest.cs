using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Grid.Gateway.OpenApi.Requests;

/// <summary>POST /v1/sessions.</summary>
internal sealed record StartSessionRequest
{
    [Description("The session's id, chosen by the caller (at most 80 characters): the same id with the same body answers the same session; with another body it is 409 idempotency_conflict.")]
    [RegularExpression("^[A-Za-z0-9_.:-]{1,80}$")]
    public required string OperationId { get; init; }

    [Description("The account that pays: the deposit is held on it.")]
    [RegularExpression(FieldRules.IdPattern)]
    public required string AccountId { get; init; }

    [Description("The account that earns the host's share of every checkpoint.")]
    [RegularExpression(FieldRules.IdPattern)]
    public required string HostAccountId { get; init; }

    [Description("Credits held for the session; what it does not use is released at the end.")]
    [Range(typeof(long), "1", FieldRules.MaxAmount)]
    public required long Deposit { get; init; }

    [Description("Credits per unit (a decimal number, above 0). The first n units cost ceil(n x pricePerUnit).")]
    public required decimal PricePerUnit { get; init; }

    [Description("Units between checkpoints (default Grid:Sessions:CheckpointUnits).")]
    [Range(typeof(long), "1", "1000000000000")]
    public long? CheckpointUnits { get; init; }
}
