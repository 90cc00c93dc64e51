using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Grid.Gateway.OpenApi.Requests;

/// <summary>POST /v1/accounts/{id}/holds/{holdId}/capture.</summary>
internal sealed record CaptureHoldRequest
{
    [Description(FieldRules.OperationId)]
    [RegularExpression(FieldRules.IdPattern)]
    public required string OperationId { get; init; }

    [Description("Credits to capture, 0 allowed, at most what is left of the hold (more is 400).")]
    [Range(typeof(long), "0", FieldRules.MaxAmount)]
    public required long Amount { get; init; }

    [Description("A final capture (the default) closes the hold and releases the rest; false leaves it open for more.")]
    [DefaultValue(true)]
    public bool? Final { get; init; }
}
