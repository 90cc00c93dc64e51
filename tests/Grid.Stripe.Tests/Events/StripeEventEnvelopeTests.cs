using System.Text;
using Grid.Stripe.Events;
using Grid.Stripe.Events.Objects;
using Grid.Stripe.Tests.Webhooks.Support;

namespace Grid.Stripe.Tests.Events;

/// <summary>What the envelope parser insists on, what it lets through, and the errors it gives.</summary>
public sealed class StripeEventEnvelopeTests
{
    private const string Data = """{"object":{"id":"cs_1","object":"checkout.session","payment_status":"paid"}}""";

    public static TheoryData<string, string> Malformed => new()
    {
        { "", "empty" },
        { "null", "JSON null" },
        { "not json", "not a Stripe event" },
        { "[]", "not a Stripe event" },
        { "\"evt_1\"", "not a Stripe event" },
        { "{}", "missing required properties" },
        { $$"""{"type":"checkout.session.completed","created":1,"livemode":false,"data":{{Data}}}""", "'id'" },
        { $$"""{"id":null,"type":"checkout.session.completed","created":1,"livemode":false,"data":{{Data}}}""", "id" },
        { $$"""{"id":42,"type":"checkout.session.completed","created":1,"livemode":false,"data":{{Data}}}""", "$.id" },
        { $$"""{"id":"ch_1","type":"checkout.session.completed","created":1,"livemode":false,"data":{{Data}}}""", "evt_" },
        { $$"""{"id":"evt_","type":"checkout.session.completed","created":1,"livemode":false,"data":{{Data}}}""", "evt_" },
        { $$"""{"id":"evt_1 OR 1=1","type":"checkout.session.completed","created":1,"livemode":false,"data":{{Data}}}""", "evt_" },
        { $$"""{"id":"evt_{{new string('a', 252)}}","type":"checkout.session.completed","created":1,"livemode":false,"data":{{Data}}}""", "at most 255" },
        { $$"""{"id":"evt_1","created":1,"livemode":false,"data":{{Data}}}""", "'type'" },
        { $$"""{"id":"evt_1","type":"","created":1,"livemode":false,"data":{{Data}}}""", "event type" },
        { $$"""{"id":"evt_1","type":"checkout session","created":1,"livemode":false,"data":{{Data}}}""", "event type" },
        { $$"""{"id":"evt_1","type":7,"created":1,"livemode":false,"data":{{Data}}}""", "$.type" },
        { $$"""{"id":"evt_1","type":"checkout.session.completed","livemode":false,"data":{{Data}}}""", "'created'" },
        { $$"""{"id":"evt_1","type":"checkout.session.completed","created":"1767225600","livemode":false,"data":{{Data}}}""", "$.created" },
        { $$"""{"id":"evt_1","type":"checkout.session.completed","created":-1,"livemode":false,"data":{{Data}}}""", "unix time" },
        { $$"""{"id":"evt_1","type":"checkout.session.completed","created":1.5,"livemode":false,"data":{{Data}}}""", "$.created" },
        { $$"""{"id":"evt_1","type":"checkout.session.completed","created":1,"data":{{Data}}}""", "'livemode'" },
        { $$"""{"id":"evt_1","type":"checkout.session.completed","created":1,"livemode":"false","data":{{Data}}}""", "$.livemode" },
        { """{"id":"evt_1","type":"checkout.session.completed","created":1,"livemode":false}""", "'data'" },
        { """{"id":"evt_1","type":"checkout.session.completed","created":1,"livemode":false,"data":null}""", "data" },
        { """{"id":"evt_1","type":"checkout.session.completed","created":1,"livemode":false,"data":{}}""", "'object'" },
        { """{"id":"evt_1","type":"checkout.session.completed","created":1,"livemode":false,"data":{"object":null}}""", "not an object" },
        { """{"id":"evt_1","type":"checkout.session.completed","created":1,"livemode":false,"data":{"object":[]}}""", "not an object" },
        { """{"id":"evt_1","type":"checkout.session.completed","created":1,"livemode":false,"data":{"object":"cs_1"}}""", "not an object" },
        { $$"""{"id":"evt_1","object":"v2.core.event","type":"checkout.session.completed","created":1,"livemode":false,"data":{{Data}}}""", "v2.core.event, not an event" },
        { $$"""{"id":"evt_1","id":"evt_2","type":"checkout.session.completed","created":1,"livemode":false,"data":{{Data}}}""", "uplicate" },
        { """{"id":"evt_1","type":"t","created":1,"livemode":false,"data":{"object":{"id":"cs_1","payment_status":"paid","payment_status":"unpaid"}}}""", "Duplicate property 'payment_status'" },
        { $$"""{"id":"evt_1","type":"checkout.session.completed","created":1,"livemode":false,"data":{{Data}}} trailing""", "not a Stripe event" },
        { $$"""{"id":"evt_1","type":"checkout.session.completed","created":1,"livemode":false,"data":{{Data}}""", "not a Stripe event" },
        { $$"""{"id":"evt_1","type":"checkout.session.completed","created":1,"livemode":false,"request":42,"data":{{Data}}}""", "request" },
        { $$"""{"id":"evt_1","type":"checkout.session.completed","created":1,"livemode":false,"request":{"idempotency_key":7},"data":{{Data}}}""", "request.idempotency_key" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_envelope_is_refused_with_a_clear_error(string body, string expected)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        var error = Assert.Throws<StripeEventFormatException>(() => StripeEvent.Parse(bytes));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False(StripeEvent.TryParse(bytes, out var stripeEvent, out var message));
        Assert.Null(stripeEvent);
        Assert.Equal(error.Message, message);
    }

    [Fact]
    public void Deeply_nested_or_random_bytes_never_escape_as_anything_but_a_format_error()
    {
        var random = WebhookSeed.For(nameof(Deeply_nested_or_random_bytes_never_escape_as_anything_but_a_format_error));
        var deep = """{"id":"evt_1","type":"t","created":1,"livemode":false,"data":{"object":{"x":""" + new string('[', 5000) + new string(']', 5000) + "}}}";
        Assert.False(StripeEvent.TryParse(Encoding.UTF8.GetBytes(deep), out _, out _));

        var valid = Encoding.UTF8.GetBytes($$"""{"id":"evt_1","type":"t","created":1,"livemode":false,"data":{{Data}}}""");
        for (var i = 0; i < 2_000; i++)
        {
            var body = (byte[])valid.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                body[random.Next(body.Length)] = (byte)random.Next(256);
            }

            if (StripeEvent.TryParse(body, out var stripeEvent, out _))
            {
                // A change that still reads must still satisfy the rules.
                Assert.StartsWith("evt_", stripeEvent.Id, StringComparison.Ordinal);
                Assert.Equal(System.Text.Json.JsonValueKind.Object, stripeEvent.DataObject.ValueKind);
            }
        }
    }

    [Fact]
    public void Unknown_members_anywhere_are_ignored()
    {
        var stripeEvent = StripeEvent.Parse("""
            {"id":"evt_1Future","object":"event","type":"checkout.session.completed","created":1767225600,"livemode":true,
             "api_version":"2099-01-01.future","brand_new_member":{"nested":[1,2,{"x":null}]},"context":"acct_1",
             "data":{"object":{"id":"cs_1","object":"checkout.session","payment_status":"paid","status":"complete","new_field":true},
                     "also_new":1},
             "pending_webhooks":3,"request":{"id":"req_1","idempotency_key":null,"new":"x"}}
            """u8);

        Assert.Equal("evt_1Future", stripeEvent.Id);
        Assert.True(stripeEvent.Livemode);
        Assert.Equal("2099-01-01.future", stripeEvent.ApiVersion);
        Assert.Equal(new StripeEventRequest("req_1", null), stripeEvent.Request);
        Assert.Equal(CheckoutSessionPaymentStatus.Paid, stripeEvent.ReadCheckoutSession().PaymentStatus);
    }

    [Fact]
    public void Optional_members_may_be_absent_or_null_and_an_old_string_request_is_read_as_its_id()
    {
        var bare = StripeEvent.Parse(Encoding.UTF8.GetBytes($$"""{"id":"evt_1","type":"x.y","created":0,"livemode":false,"data":{{Data}}}"""));
        Assert.Null(bare.ApiVersion);
        Assert.Null(bare.Request);
        Assert.Null(bare.PreviousAttributes);

        var nulls = StripeEvent.Parse(Encoding.UTF8.GetBytes(
            """{"id":"evt_1","type":"x.y","created":0,"livemode":false,"api_version":null,"request":null,"data":{"object":{},"previous_attributes":null}}"""));
        Assert.Null(nulls.Request);
        Assert.Null(nulls.PreviousAttributes);
        Assert.Null(nulls.DataObjectName);

        var legacy = StripeEvent.Parse(Encoding.UTF8.GetBytes(
            $$"""{"id":"evt_1","type":"x.y","created":0,"livemode":false,"api_version":"2017-02-14","request":"req_old","data":{{Data}}}"""));
        Assert.Equal(new StripeEventRequest("req_old", null), legacy.Request);
    }

    [Fact]
    public void The_raw_data_object_outlives_the_body_it_was_parsed_from()
    {
        var body = Encoding.UTF8.GetBytes($$"""{"id":"evt_1","type":"x.y","created":0,"livemode":false,"data":{{Data}}}""");
        var stripeEvent = StripeEvent.Parse(body);
        Array.Clear(body);

        Assert.Equal("cs_1", stripeEvent.DataObject.GetProperty("id").GetString());
        Assert.Equal("cs_1", stripeEvent.ReadCheckoutSession().Id);
    }

    [Fact]
    public void An_unknown_event_type_still_parses_so_it_can_be_acknowledged()
    {
        var stripeEvent = StripeEvent.Parse(Encoding.UTF8.GetBytes(
            """{"id":"evt_1","type":"customer.subscription.trial_will_end","created":1,"livemode":false,"data":{"object":{"id":"sub_1","object":"subscription"}}}"""));

        Assert.Equal("customer.subscription.trial_will_end", stripeEvent.Type);
        Assert.Equal("subscription", stripeEvent.DataObjectName);
    }
}
