using System.Text.Json;

namespace Grid.Stripe.TestKit.Webhooks;

/// <summary>
/// Stripe's own library as the oracle: tests/oracles/stripe-sign.mjs signs deliveries with stripe-node's
/// <c>webhooks.generateTestHeaderString</c> and judges them with <c>webhooks.constructEvent</c>.
/// </summary>
public static class StripeNode
{
    private const string Script = "stripe-sign.mjs";
    private static readonly string[] Packages = ["stripe"];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The <c>Stripe-Signature</c> header stripe-node makes for each request, in order.</summary>
    public static async Task<IReadOnlyList<string>> SignAsync(IReadOnlyList<StripeSignRequest> requests, CancellationToken cancellationToken)
    {
        var output = await RunAsync("sign", requests, cancellationToken);
        var headers = JsonSerializer.Deserialize<List<SignedHeader>>(output, Json) ?? throw new InvalidOperationException("stripe-sign.mjs printed null");
        Assert.Equal(requests.Count, headers.Count);
        return headers.Select(signed => signed.Header).ToList();
    }

    /// <summary>The header stripe-node makes for <paramref name="payload"/> signed at <paramref name="timestamp"/> with each of <paramref name="signatures"/>.</summary>
    public static async Task<string> SignAsync(string payload, long timestamp, params StripeSignatureSpec[] signatures) =>
        (await SignAsync([new StripeSignRequest(payload, timestamp, signatures)], CancellationToken.None))[0];

    /// <summary>The header stripe-node makes for <paramref name="payload"/> with one v1 signature under <paramref name="secret"/>.</summary>
    public static Task<string> SignAsync(string payload, long timestamp, string secret) =>
        SignAsync(payload, timestamp, new StripeSignatureSpec(secret));

    /// <summary>stripe-node's constructEvent verdict on each request, in order.</summary>
    public static async Task<IReadOnlyList<StripeNodeVerdict>> VerifyAsync(IReadOnlyList<StripeVerifyRequest> requests, CancellationToken cancellationToken)
    {
        var output = await RunAsync("verify", requests, cancellationToken);
        var verdicts = JsonSerializer.Deserialize<List<StripeNodeVerdict>>(output, Json) ?? throw new InvalidOperationException("stripe-sign.mjs printed null");
        Assert.Equal(requests.Count, verdicts.Count);
        return verdicts;
    }

    private static Task<string> RunAsync<T>(string command, IReadOnlyList<T> requests, CancellationToken cancellationToken) =>
        NodeOracle.RunAsync(Script, [command], Packages, JsonSerializer.Serialize(requests, Json), cancellationToken);

    private sealed record SignedHeader(string Header);
}
