using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Grid.Gateway.OpenApi.Requests;

/// <summary>POST /v1/casts.</summary>
internal sealed record StartCastRequest
{
    [Description(FieldRules.OperationId + " It is the cast's id (at most 113 characters, so the ledger ids derived from it fit).")]
    [RegularExpression("^[A-Za-z0-9_.:-]{1,113}$")]
    public required string OperationId { get; init; }

    [Description("The account that pays (needs charge on it).")]
    public required string AccountId { get; init; }

    [Description("Credits the work is expected to cost; without it, the price of kind from GET /v1/pricing.")]
    [Range(1, 9_007_199_254_740_991)]
    public long? Quote { get; init; }

    [Description("Held on top of the quote, in percent, rounded up (default Grid:Pricing:BufferPercent, 20).")]
    [Range(0, 1000)]
    public int? BufferPercent { get; init; }

    [Description("The job kind (e.g. upscale); prices the cast when quote is absent.")]
    public string? Kind { get; init; }

    [Description("After this long the hold is voided (default Grid:Pricing:DefaultTimeout).")]
    [Range(1, 2_505_600)]
    public long? TimeoutSeconds { get; init; }
}
