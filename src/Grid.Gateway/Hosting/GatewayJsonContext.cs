using System.Text.Json;
using System.Text.Json.Serialization;
using Grid.Gateway.Accounts;
using Grid.Gateway.Casts;
using Grid.Gateway.Cluster;
using Grid.Gateway.Keys;
using Grid.Gateway.Payments;
using Grid.Gateway.Sessions;
using Grid.Gateway.Siwe;
using Grid.Gateway.Tokens;

namespace Grid.Gateway.Hosting;

/// <summary>Source-generated JSON for the gateway's own response types (camelCase, web defaults).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ClusterView))]
[JsonSerializable(typeof(AccountResponse))]
[JsonSerializable(typeof(EntryResultResponse))]
[JsonSerializable(typeof(EntryResponse))]
[JsonSerializable(typeof(HoldResultResponse))]
[JsonSerializable(typeof(HoldResponse))]
[JsonSerializable(typeof(HoldsResponse))]
[JsonSerializable(typeof(JournalResponse))]
[JsonSerializable(typeof(IssuedKeyResponse))]
[JsonSerializable(typeof(KeysResponse))]
[JsonSerializable(typeof(IssuedTokenResponse))]
[JsonSerializable(typeof(NonceResponse))]
[JsonSerializable(typeof(WalletSessionResponse))]
[JsonSerializable(typeof(TopUpPackagesResponse))]
[JsonSerializable(typeof(CheckoutResponse))]
[JsonSerializable(typeof(PaymentResponse))]
[JsonSerializable(typeof(ChainPaymentResponse))]
[JsonSerializable(typeof(OnchainIntentResponse))]
[JsonSerializable(typeof(WalletResponse))]
[JsonSerializable(typeof(WalletOperatorResponse))]
[JsonSerializable(typeof(CastResponse))]
[JsonSerializable(typeof(PricingResponse))]
[JsonSerializable(typeof(Grid.Gateway.Usage.UsageResponse))]
[JsonSerializable(typeof(WebhookReceipt))]
[JsonSerializable(typeof(AutoReloadResponse))]
[JsonSerializable(typeof(SessionResponse))]
[JsonSerializable(typeof(ParkedStepsResponse))]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
[JsonSerializable(typeof(long))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
