using System.ComponentModel;

namespace Grid.Gateway.OpenApi.Requests;

/// <summary>POST /v1/payments/{paymentId}/tx.</summary>
internal sealed record TransactionHintRequest
{
    [Description("The hash of the transaction that pays (0x and 64 hex digits). A hint to look now, never proof: credits wait for the confirmations.")]
    public required string TxHash { get; init; }
}
