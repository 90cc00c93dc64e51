using System.Text.Json.Nodes;

namespace Grid.Stripe.TestKit.StandIn;

/// <summary><c>POST /v1/checkout/sessions</c>: the parameters a payment-mode session with inline prices takes.</summary>
public sealed partial class StripeStandIn
{
    private StandInResponse CreateCheckoutSession(StandInForm form)
    {
        form.AllowOnly(
            "mode",
            "success_url",
            "cancel_url",
            "client_reference_id",
            "customer",
            @"line_items\[\d+\]\[quantity\]",
            @"line_items\[\d+\]\[price_data\]\[(currency|unit_amount)\]",
            @"line_items\[\d+\]\[price_data\]\[product_data\]\[name\]",
            @"payment_method_types\[\d+\]",
            @"metadata\[[^\[\]]+\]",
            @"payment_intent_data\[metadata\]\[[^\[\]]+\]",
            @"payment_intent_data\[setup_future_usage\]");

        var mode = form.Required("mode");
        if (mode is not ("payment" or "setup" or "subscription"))
        {
            throw new StandInRejection(StandInResponse.InvalidRequest("Invalid mode: must be one of payment, setup, or subscription", "mode"));
        }

        if (mode != "payment")
        {
            throw new StandInRejection(StandInResponse.InvalidRequest("The stand-in serves mode=payment only.", "mode"));
        }

        var successUrl = Url(form, "success_url", required: true)!;
        var cancelUrl = Url(form, "cancel_url", required: false);
        var clientReferenceId = form["client_reference_id"];
        if (clientReferenceId is { Length: > 200 })
        {
            throw new StandInRejection(StandInResponse.InvalidRequest("client_reference_id can be at most 200 characters.", "client_reference_id"));
        }

        var customer = form["customer"];
        if (customer is not null && !_customers.ContainsKey(customer))
        {
            throw new StandInRejection(StandInResponse.InvalidRequest($"No such customer: '{customer}'", "customer", "resource_missing"));
        }

        var futureUsage = form["payment_intent_data[setup_future_usage]"];
        if (futureUsage is not (null or "on_session" or "off_session"))
        {
            throw new StandInRejection(StandInResponse.InvalidRequest(
                "Invalid payment_intent_data[setup_future_usage]: must be one of on_session or off_session",
                "payment_intent_data[setup_future_usage]"));
        }

        var (currency, total) = LineItems(form);
        var metadata = form.Metadata("metadata");
        var intentMetadata = form.Metadata("payment_intent_data[metadata]");
        var paymentMethodTypes = form.List("payment_method_types");

        var id = StripeTestIds.CheckoutSession();
        var created = Now();
        var session = new JsonObject
        {
            ["id"] = id,
            ["object"] = "checkout.session",
            ["after_expiration"] = null,
            ["allow_promotion_codes"] = null,
            ["amount_subtotal"] = total,
            ["amount_total"] = total,
            ["automatic_tax"] = new JsonObject { ["enabled"] = false, ["liability"] = null, ["status"] = null },
            ["billing_address_collection"] = null,
            ["cancel_url"] = cancelUrl,
            ["client_reference_id"] = clientReferenceId,
            ["client_secret"] = null,
            ["consent"] = null,
            ["created"] = created,
            ["currency"] = currency,
            ["custom_fields"] = new JsonArray(),
            ["customer"] = customer,
            ["customer_creation"] = customer is null ? "if_required" : null,
            ["customer_details"] = null,
            ["customer_email"] = null,
            ["expires_at"] = created + 24 * 60 * 60,
            ["invoice"] = null,
            ["livemode"] = false,
            ["locale"] = null,
            ["metadata"] = ToJson(metadata),
            ["mode"] = "payment",
            // Since API version 2022-08-01 Checkout creates the PaymentIntent only when the payer submits.
            ["payment_intent"] = null,
            ["payment_link"] = null,
            ["payment_method_collection"] = "if_required",
            ["payment_method_options"] = new JsonObject(),
            ["payment_method_types"] = new JsonArray([.. (paymentMethodTypes.Count > 0 ? paymentMethodTypes : ["card"]).Select(t => (JsonNode)t)]),
            ["payment_status"] = "unpaid",
            ["status"] = "open",
            ["submit_type"] = null,
            ["subscription"] = null,
            ["success_url"] = successUrl,
            ["total_details"] = new JsonObject { ["amount_discount"] = 0, ["amount_shipping"] = 0, ["amount_tax"] = 0 },
            ["ui_mode"] = "hosted",
            ["url"] = $"https://checkout.stripe.com/c/pay/{id}#fidkdWxOYHwnPyd1blpxYHZxWjA0{StripeTestIds.Random(40)}",
        };
        _checkoutSessions[id] = session;
        _checkoutIntentData[id] = new CheckoutIntentData(ToJson(intentMetadata), futureUsage);
        return StandInResponse.Ok(session);
    }

    private static (string Currency, long Total) LineItems(StandInForm form)
    {
        var indices = form.Fields
            .Select(f => System.Text.RegularExpressions.Regex.Match(f.Key, @"^line_items\[(\d+)\]"))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .Distinct()
            .Order()
            .ToList();
        if (indices.Count == 0)
        {
            throw new StandInRejection(StandInResponse.InvalidRequest("You must provide at least one of `line_items` in `payment` mode.", "line_items"));
        }

        if (!indices.SequenceEqual(Enumerable.Range(0, indices.Count)))
        {
            throw new StandInRejection(StandInResponse.InvalidRequest("Invalid array: line_items must be indexed from 0 without gaps", "line_items"));
        }

        string? currency = null;
        long total = 0;
        foreach (var i in indices)
        {
            var prefix = $"line_items[{i}]";
            var itemCurrency = form.Required($"{prefix}[price_data][currency]");
            if (itemCurrency.Length != 3 || !itemCurrency.All(char.IsAsciiLetterLower))
            {
                throw new StandInRejection(StandInResponse.InvalidRequest($"Invalid currency: {itemCurrency}", $"{prefix}[price_data][currency]"));
            }

            if (currency is not null && currency != itemCurrency)
            {
                throw new StandInRejection(StandInResponse.InvalidRequest("All line items must have the same currency.", $"{prefix}[price_data][currency]"));
            }

            currency = itemCurrency;
            var unitAmount = form.RequiredInteger($"{prefix}[price_data][unit_amount]");
            form.Required($"{prefix}[price_data][product_data][name]");
            var quantity = form.RequiredInteger($"{prefix}[quantity]");
            if (quantity < 1)
            {
                throw new StandInRejection(StandInResponse.InvalidRequest("Quantity must be at least 1.", $"{prefix}[quantity]"));
            }

            total += unitAmount * quantity;
        }

        return (currency!, total);
    }

    private static string? Url(StandInForm form, string key, bool required)
    {
        var value = required ? form.Required(key) : form[key];
        if (value is not null && !Uri.TryCreate(value, UriKind.Absolute, out _))
        {
            throw new StandInRejection(StandInResponse.InvalidRequest("Not a valid URL", key, "url_invalid"));
        }

        return value;
    }

    private static JsonObject ToJson(Dictionary<string, string> entries)
    {
        var json = new JsonObject();
        foreach (var (key, value) in entries)
        {
            json[key] = value;
        }

        return json;
    }

    /// <summary><c>POST /v1/checkout/sessions/{id}/expire</c>: an open session expires; any other is refused, as Stripe does.</summary>
    private StandInResponse ExpireCheckoutSession(string sessionId, StandInForm form)
    {
        form.AllowOnly();
        if (!_checkoutSessions.TryGetValue(sessionId, out var session))
        {
            return StandInResponse.Error(404, "invalid_request_error", $"No such checkout.session: '{sessionId}'", "resource_missing", "session");
        }

        var status = session["status"]!.GetValue<string>();
        if (status != "open")
        {
            return StandInResponse.InvalidRequest($"This Checkout Session is {status}: only a Checkout Session whose status is open can be expired.");
        }

        session["status"] = "expired";
        session["url"] = null;
        return StandInResponse.Ok(session);
    }
}
