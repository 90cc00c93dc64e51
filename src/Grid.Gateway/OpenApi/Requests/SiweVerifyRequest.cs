using System.ComponentModel;

namespace Grid.Gateway.OpenApi.Requests;

/// <summary>POST /v1/auth/siwe/verify.</summary>
internal sealed record SiweVerifyRequest
{
    [Description("The EIP-4361 message text exactly as the wallet signed it, carrying a nonce from GET /v1/auth/siwe/nonce.")]
    public required string Message { get; init; }

    [Description("The wallet's personal_sign (EIP-191) signature: 65 bytes as hex, with or without 0x.")]
    public required string Signature { get; init; }
}
