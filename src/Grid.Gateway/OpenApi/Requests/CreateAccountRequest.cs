using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Grid.Gateway.OpenApi.Requests;

/// <summary>POST /v1/accounts; every field is optional.</summary>
internal sealed record CreateAccountRequest
{
    [Description("The account id; generated (acc_...) when absent. An existing id is 409 already_exists.")]
    [RegularExpression(FieldRules.IdPattern)]
    public string? Id { get; init; }

    [StringLength(200, MinimumLength = 1)]
    public string? Name { get; init; }

    [Description("How far below zero available may go, in credits (default 0).")]
    [Range(typeof(long), "0", FieldRules.MaxAmount)]
    public long? OverdraftLimit { get; init; }
}
