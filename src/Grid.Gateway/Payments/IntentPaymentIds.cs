using System.Security.Cryptography;
using System.Text;
using Grid.Contracts.Payments;
using Grid.Gateway.Auth;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Payments;

/// <summary>
/// On-chain intent ids: HMAC-SHA256 under a key derived from Grid:Auth:TokenSecret, over who asked (the account,
/// else the wallet) and the operation id. The same request finds the same payment, as idempotency wants; yet nobody
/// without the secret can work an id out from a wallet's address, which matters because a credited guest payment's
/// status hands out a token for the wallet's guest account.
/// </summary>
internal sealed class IntentPaymentIds
{
    private readonly byte[]? _key;

    public IntentPaymentIds(IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _key = options.Value.DeriveKey("grid payment intent ids"u8);
    }

    public bool IsConfigured => _key is not null;

    public string For(string? accountId, string wallet, string operationId)
    {
        var key = _key ?? throw new InvalidOperationException("No token secret is configured (Grid:Auth:TokenSecret).");
        var owner = accountId is null ? "wallet:" + wallet.ToLowerInvariant() : "account:" + accountId;
        var digest = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{owner.Length}:{owner}\n{operationId}"));
        return PaymentIds.FromDigest(digest);
    }
}
