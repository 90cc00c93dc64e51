using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Grid.Gateway.OpenApi.Requests;

/// <summary>POST /v1/payments/onchain.</summary>
internal sealed record OnchainIntentRequest
{
    [Description(FieldRules.OperationId)]
    [RegularExpression(FieldRules.IdPattern)]
    public required string OperationId { get; init; }

    [Description("The paying wallet (0x and 40 hex digits; a mixed-case address must carry a valid EIP-55 checksum). Only a deposit from it pays this intent.")]
    public required string Wallet { get; init; }

    [Description("Credits to buy. Required for a token; without it an ETH payment of any amount is credited at the quoted rate.")]
    [Range(1, 9_007_199_254_740_991)]
    public long? AmountCredits { get; init; }

    [Description("The account to credit (needs a read key or token of it); without it, the wallet's linked account or its own guest account.")]
    public string? AccountId { get; init; }

    [Description("ETH or a configured token's symbol (e.g. USDC).")]
    public required string Token { get; init; }

    [Description("A configured chain id (Grid:Chains).")]
    public required ulong ChainId { get; init; }
}
