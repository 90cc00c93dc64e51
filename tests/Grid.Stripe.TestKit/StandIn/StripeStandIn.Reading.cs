using System.Text.Json;
using System.Text.Json.Nodes;
using Grid.Stripe.TestKit.Objects;

namespace Grid.Stripe.TestKit.StandIn;

/// <summary>The objects the stand-in holds, as tests read them: in creation order, as they are now.</summary>
public sealed partial class StripeStandIn
{
    public IReadOnlyList<TestCheckoutSession> CheckoutSessions => ReadAll(_checkoutSessions, ReadCheckoutSession);

    public IReadOnlyList<TestPaymentIntent> PaymentIntents => ReadAll(_paymentIntents, ReadPaymentIntent);

    public IReadOnlyList<TestCharge> Charges => ReadAll(_charges, ReadCharge);

    public TestCheckoutSession? CheckoutSession(string id) => ReadOne(_checkoutSessions, id, ReadCheckoutSession);

    public TestPaymentIntent? PaymentIntent(string id) => ReadOne(_paymentIntents, id, ReadPaymentIntent);

    public TestCharge? Charge(string id) => ReadOne(_charges, id, ReadCharge);

    private static TestCheckoutSession ReadCheckoutSession(JsonObject json) => new()
    {
        Id = Text(json, "id")!,
        AmountTotal = Integer(json, "amount_total"),
        Currency = Text(json, "currency")!,
        ClientReferenceId = Text(json, "client_reference_id"),
        Metadata = Metadata(json),
        PaymentIntentId = Text(json, "payment_intent"),
        CustomerId = Text(json, "customer"),
        Url = Text(json, "url"),
        Status = Text(json, "status")!,
        PaymentStatus = Text(json, "payment_status")!,
        SuccessUrl = Text(json, "success_url"),
        CancelUrl = Text(json, "cancel_url"),
    };

    private static TestPaymentIntent ReadPaymentIntent(JsonObject json) => new()
    {
        Id = Text(json, "id")!,
        Amount = Integer(json, "amount"),
        Currency = Text(json, "currency")!,
        AmountReceived = Integer(json, "amount_received"),
        Status = Text(json, "status")!,
        Metadata = Metadata(json),
        CustomerId = Text(json, "customer"),
        PaymentMethodId = Text(json, "payment_method"),
        LatestChargeId = Text(json, "latest_charge"),
        SetupFutureUsage = Text(json, "setup_future_usage"),
    };

    private static TestCharge ReadCharge(JsonObject json) => new()
    {
        Id = Text(json, "id")!,
        Amount = Integer(json, "amount"),
        Currency = Text(json, "currency")!,
        AmountRefunded = Integer(json, "amount_refunded"),
        Status = Text(json, "status")!,
        PaymentIntentId = Text(json, "payment_intent"),
        Metadata = Metadata(json),
        CustomerId = Text(json, "customer"),
        PaymentMethodId = Text(json, "payment_method"),
    };

    private static string? Text(JsonObject json, string name) => json[name]?.GetValue<string>();

    // Through JSON: the node holds whichever integer type it was built from.
    private static long Integer(JsonObject json, string name) => json[name].Deserialize<long>();

    private static IReadOnlyDictionary<string, string> Metadata(JsonObject json) =>
        json["metadata"]!.AsObject().ToDictionary(entry => entry.Key, entry => entry.Value!.GetValue<string>(), StringComparer.Ordinal).AsReadOnly();

    private IReadOnlyList<T> ReadAll<T>(OrderedDictionary<string, JsonObject> objects, Func<JsonObject, T> read)
    {
        lock (_lock)
        {
            return [.. objects.Values.Select(read)];
        }
    }

    private T? ReadOne<T>(OrderedDictionary<string, JsonObject> objects, string id, Func<JsonObject, T> read)
        where T : class
    {
        lock (_lock)
        {
            return objects.TryGetValue(id, out var found) ? read(found) : null;
        }
    }
}
