using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Grid.Gateway.OpenApi.Requests;

/// <summary>POST /v1/keys.</summary>
internal sealed record IssueKeyRequest
{
    [Description("The account the key is bound to; it must exist.")]
    [RegularExpression(FieldRules.IdPattern)]
    public required string AccountId { get; init; }

    [Description("At least one of read, charge, admin; each includes the ones before it.")]
    [MinLength(1)]
    public required IReadOnlyList<KeyScope> Scopes { get; init; }

    [StringLength(100, MinimumLength = 1)]
    public string? Name { get; init; }
}
