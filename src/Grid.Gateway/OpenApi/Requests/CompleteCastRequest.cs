using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Grid.Gateway.OpenApi.Requests;

/// <summary>POST /v1/casts/{id}/complete.</summary>
internal sealed record CompleteCastRequest
{
    [Description(FieldRules.OperationId)]
    [RegularExpression(FieldRules.IdPattern)]
    public required string OperationId { get; init; }

    [Description("What the provider charged, in credits (a decimal): the user price is it times Grid:Pricing:Markup, rounded up, never below it.")]
    [Range(0, 9_007_199_254_740_991)]
    public decimal? ProviderCost { get; init; }

    [Description("The price in credits, when known (0 allowed). Neither price nor providerCost: recorded for review, nothing charged.")]
    [Range(0, 9_007_199_254_740_991)]
    public long? Price { get; init; }
}
