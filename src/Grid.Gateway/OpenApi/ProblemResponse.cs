using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Grid.Gateway.OpenApi;

/// <summary>
/// The shape of every error answer (application/problem+json, RFC 9457) as the document describes it. The gateway
/// writes these through <see cref="Problems.GridProblem"/>; this type only gives them a schema.
/// </summary>
internal sealed record ProblemResponse
{
    [Description("A URI naming the kind of problem; one per code.")]
    public required string Type { get; init; }

    public required string Title { get; init; }

    public required int Status { get; init; }

    public string? Detail { get; init; }

    [Description("The stable error code clients branch on: validation_failed, unauthorized, forbidden, not_found, already_exists, "
        + "idempotency_conflict, hold_closed, account_frozen, account_closed, account_not_empty, too_many_holds, invalid_state, "
        + "insufficient_funds, negative_balance, payload_too_large, method_not_allowed, rate_limited, unavailable.")]
    public required string Code { get; init; }

    [Description("validation_failed: the messages for each field (or query parameter) that was refused.")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    [Description("The request field a refusal names (an idempotency_conflict names the field that differs).")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Field { get; init; }

    [Description("insufficient_funds, negative_balance: the credits available when the request was refused.")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Available { get; init; }

    [Description("insufficient_funds: the credits the request needed.")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Required { get; init; }
}
