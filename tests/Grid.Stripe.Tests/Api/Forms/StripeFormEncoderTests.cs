using Grid.Stripe.Api.Forms;
using Grid.Stripe.TestKit.StandIn;

namespace Grid.Stripe.Tests.Api.Forms;

public sealed class StripeFormEncoderTests
{
    [Fact]
    public void Nested_hashes_and_arrays_use_brackets_in_the_order_added()
    {
        var item = StripeFormKey.Of("line_items")[0];
        var form = new StripeFormEncoder()
            .Add("mode", "payment")
            .Add(item["price_data"]["currency"], "usd")
            .Add(item["price_data"]["unit_amount"], 500)
            .Add(item["price_data"]["product_data"]["name"], "500 credits")
            .Add(item["quantity"], 1)
            .AddList("payment_method_types", ["card", "link"]);

        Assert.Equal(
            "mode=payment"
            + "&line_items[0][price_data][currency]=usd"
            + "&line_items[0][price_data][unit_amount]=500"
            + "&line_items[0][price_data][product_data][name]=500%20credits"
            + "&line_items[0][quantity]=1"
            + "&payment_method_types[0]=card"
            + "&payment_method_types[1]=link",
            form.Encode());
    }

    [Fact]
    public void Booleans_are_true_and_false_and_integers_are_invariant_digits()
    {
        var form = new StripeFormEncoder()
            .Add("off_session", true)
            .Add("confirm", false)
            .Add("amount", 99_999_999)
            .Add("delta", -5)
            .Add("largest", long.MaxValue);

        Assert.Equal("off_session=true&confirm=false&amount=99999999&delta=-5&largest=9223372036854775807", form.Encode());
    }

    [Theory]
    [InlineData("a&b=c+d %e#f?g/h[i]j", "a%26b%3Dc%2Bd%20%25e%23f%3Fg%2Fh%5Bi%5Dj")]
    [InlineData("x-y.z_w~v", "x-y.z_w~v")]
    [InlineData("*'()!", "%2A%27%28%29%21")]
    [InlineData("https://grid.example/topups/done?session={CHECKOUT_SESSION_ID}", "https%3A%2F%2Fgrid.example%2Ftopups%2Fdone%3Fsession%3D%7BCHECKOUT_SESSION_ID%7D")]
    [InlineData("Zoë 日本 🎉", "Zo%C3%AB%20%E6%97%A5%E6%9C%AC%20%F0%9F%8E%89")]
    [InlineData("Ünïcödé ✓ \"quoted\" <tag> \\ back", "%C3%9Cn%C3%AFc%C3%B6d%C3%A9%20%E2%9C%93%20%22quoted%22%20%3Ctag%3E%20%5C%20back")]
    [InlineData("", "")]
    public void Values_are_utf8_and_percent_encoded_outside_the_unreserved_set(string value, string encoded)
    {
        Assert.Equal("description=" + encoded, new StripeFormEncoder().Add("description", value).Encode());
    }

    [Fact]
    public void Metadata_comes_out_in_ordinal_key_order_whatever_the_insertion_order()
    {
        var entries = new (string Key, string Value)[]
        {
            ("payment_id", "pay_1"),
            ("order ref", "#7"),
            ("account_id", "acct/ä"),
            ("Zeta", "z"),
            ("ключ", "日本語の説明"),
        };
        const string expected =
            "metadata[Zeta]=z"
            + "&metadata[account_id]=acct%2F%C3%A4"
            + "&metadata[order%20ref]=%237"
            + "&metadata[payment_id]=pay_1"
            + "&metadata[%D0%BA%D0%BB%D1%8E%D1%87]=%E6%97%A5%E6%9C%AC%E8%AA%9E%E3%81%AE%E8%AA%AC%E6%98%8E";

        foreach (var order in new[] { entries, entries.Reverse().ToArray(), entries.OrderBy(e => e.Value, StringComparer.Ordinal).ToArray() })
        {
            var form = new StripeFormEncoder().AddMetadata("metadata", order.Select(e => KeyValuePair.Create(e.Key, e.Value)));
            Assert.Equal(expected, form.Encode());
        }
    }

    [Fact]
    public void Nested_metadata_keeps_its_whole_path()
    {
        var form = new StripeFormEncoder().AddMetadata(StripeFormKey.Of("payment_intent_data")["metadata"], [KeyValuePair.Create("account_id", "a b")]);

        Assert.Equal("payment_intent_data[metadata][account_id]=a%20b", form.Encode());
        Assert.Equal("payment_intent_data[metadata][account_id]", form.Fields.Single().Key);
    }

    [Fact]
    public void A_standard_form_decoder_reads_back_exactly_what_was_encoded()
    {
        // Stripe decodes bodies as any form decoder does; ASP.NET Core's decoder stands in for it.
        var random = new Random(20240620);
        var alphabet = "aZ09 -._~!*'();:@&=+$,/?#[]%\"<>\\^`{|}éßñ✓日本€".ToCharArray();
        for (var round = 0; round < 300; round++)
        {
            var form = new StripeFormEncoder();
            var expected = new List<KeyValuePair<string, string>>();
            for (var field = 0; field < random.Next(1, 6); field++)
            {
                var value = new string([.. Enumerable.Range(0, random.Next(0, 20)).Select(_ => alphabet[random.Next(alphabet.Length)])])
                    + (random.Next(4) == 0 ? "🎉" : "");
                var name = StripeFormKey.Of("metadata")[$"k{field} {value.Length}ü"];
                form.Add(name, value);
                expected.Add(KeyValuePair.Create(name.Path, value));
            }

            Assert.Equal(expected, StandInForm.Decode(form.Encode()));
        }
    }

    [Fact]
    public void Text_with_a_lone_surrogate_is_refused_rather_than_altered()
    {
        Assert.Throws<ArgumentException>(() => new StripeFormEncoder().Add("description", "broken \uD83C").Encode());
        Assert.Throws<ArgumentException>(() => new StripeFormEncoder().Add(StripeFormKey.Of("metadata")["\uDC00"], "x").Encode());
    }

    [Fact]
    public void Names_with_brackets_are_refused()
    {
        Assert.Throws<ArgumentException>(() => StripeFormKey.Of("metadata[x]"));
        Assert.Throws<ArgumentException>(() => StripeFormKey.Of("metadata")["a]b"]);
        Assert.Throws<ArgumentException>(() => StripeFormKey.Of("metadata")["a[0"]);
        Assert.Throws<ArgumentException>(() => new StripeFormEncoder().AddMetadata("metadata", [KeyValuePair.Create("a[0]", "x")]));
        Assert.Throws<ArgumentException>(() => StripeFormKey.Of(""));
    }

    [Fact]
    public void A_field_given_twice_is_refused()
    {
        var form = new StripeFormEncoder().Add("customer", "cus_1");

        Assert.Throws<InvalidOperationException>(() => form.Add("customer", "cus_2"));
        Assert.Throws<InvalidOperationException>(() => new StripeFormEncoder().Add(StripeFormKey.Of("a")[0], "x").AddList("a", ["y"]));
    }

    [Fact]
    public void Array_indices_start_at_zero_and_are_never_negative()
    {
        Assert.Equal("payment_method_types[0]", StripeFormKey.Of("payment_method_types")[0].Path);
        Assert.Throws<ArgumentOutOfRangeException>(() => StripeFormKey.Of("payment_method_types")[-1]);
    }

    [Fact]
    public void A_default_key_names_no_field()
    {
        Assert.Throws<InvalidOperationException>(() => new StripeFormEncoder().Add(default(StripeFormKey), "x"));
    }
}
