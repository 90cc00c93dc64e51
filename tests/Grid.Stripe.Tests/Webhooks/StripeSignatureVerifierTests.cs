using System.Text;
using Grid.Stripe.TestKit.Webhooks;
using Grid.Stripe.Tests.Webhooks.Support;
using Grid.Stripe.Webhooks;

namespace Grid.Stripe.Tests.Webhooks;

/// <summary>The verifier against deliveries signed by stripe-node's own generateTestHeaderString.</summary>
public sealed class StripeSignatureVerifierTests
{
    private const long Now = 1_767_225_600; // 2026-01-01T00:00:00Z
    private const string Secret = "whsec_5Jq0bM1nB7wD2yVtK8rXzL3pF6hG9sAc";
    private const string OldSecret = "whsec_Old4Secret8Still0Active2During6Roll";
    private const string OtherSecret = "whsec_NotThisEndpoint1234567890abcdefg";

    private static readonly string Payload =
        """{"id":"evt_1RxQ8bLkdIwHu7ixCh4gkGHj","object":"event","type":"checkout.session.completed","data":{"object":{"note":"crédit 💳"}}}""";

    [Fact]
    public async Task Accepts_random_payloads_and_secrets_signed_by_stripe_node()
    {
        var random = WebhookSeed.For(nameof(Accepts_random_payloads_and_secrets_signed_by_stripe_node));
        var cases = Enumerable.Range(0, 60)
            .Select(_ => (Payload: RandomWebhook.Payload(random), Secret: RandomWebhook.Secret(random), Timestamp: Now + random.Next(-300, 301)))
            .ToList();
        var headers = await StripeNode.SignAsync(
            cases.Select(c => new StripeSignRequest(c.Payload, c.Timestamp, [new StripeSignatureSpec(c.Secret)])).ToList(),
            CancellationToken.None);

        for (var i = 0; i < cases.Count; i++)
        {
            var verifier = Verifier(cases[i].Secret);
            var outcome = verifier.Verify(headers[i], Encoding.UTF8.GetBytes(cases[i].Payload));
            Assert.True(outcome.IsVerified, $"seed {WebhookSeed.Value}, case {i}: {outcome}");
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(cases[i].Timestamp), outcome.Timestamp);
            Assert.Equal(0, outcome.SecretIndex);
        }
    }

    [Fact]
    public async Task A_delivery_signed_under_a_new_and_an_old_secret_is_accepted_with_either_configured()
    {
        var header = await StripeNode.SignAsync(Payload, Now, new StripeSignatureSpec(Secret), new StripeSignatureSpec(OldSecret));
        Assert.Equal(2, header.Split(',').Count(item => item.StartsWith("v1=", StringComparison.Ordinal)));
        var body = Encoding.UTF8.GetBytes(Payload);

        Assert.Equal(0, Verifier(Secret).Verify(header, body).SecretIndex);
        Assert.Equal(0, Verifier(OldSecret).Verify(header, body).SecretIndex);
        Assert.Equal(1, Verifier(OtherSecret, OldSecret).Verify(header, body).SecretIndex);
        Assert.Equal(0, Verifier(OldSecret, Secret).Verify(header, body).SecretIndex);
        Assert.Equal(2, Verifier(OtherSecret, "", Secret).Verify(header, body).SecretIndex);
        Assert.Equal(StripeSignatureFailure.NoMatchingSignature, Verifier(OtherSecret).Verify(header, body).Failure);
    }

    [Fact]
    public async Task During_a_rotation_deliveries_signed_under_the_old_secret_alone_are_still_accepted()
    {
        var header = await StripeNode.SignAsync(Payload, Now, OldSecret);
        var verifier = Verifier(Secret, OldSecret);

        var outcome = verifier.Verify(header, Encoding.UTF8.GetBytes(Payload));

        Assert.True(outcome.IsVerified, outcome.ToString());
        Assert.Equal(1, outcome.SecretIndex);
    }

    [Fact]
    public async Task A_v0_signature_alone_is_refused_even_when_it_is_the_right_hmac()
    {
        // stripe-node's v0 is the same HMAC under another name; only v1 may be trusted.
        var header = await StripeNode.SignAsync(Payload, Now, new StripeSignatureSpec(Secret, "v0"));
        Assert.StartsWith($"t={Now},v0=", header, StringComparison.Ordinal);

        var outcome = Verifier(Secret).Verify(header, Encoding.UTF8.GetBytes(Payload));

        Assert.Equal(StripeSignatureFailure.NoV1Signature, outcome.Failure);
    }

    [Fact]
    public async Task A_v0_signature_next_to_a_wrong_v1_does_not_help_it()
    {
        var header = await StripeNode.SignAsync(Payload, Now, new StripeSignatureSpec(OtherSecret), new StripeSignatureSpec(Secret, "v0"));

        var outcome = Verifier(Secret).Verify(header, Encoding.UTF8.GetBytes(Payload));

        Assert.Equal(StripeSignatureFailure.NoMatchingSignature, outcome.Failure);
    }

    [Fact]
    public async Task A_v1_next_to_a_v0_and_unknown_schemes_is_accepted()
    {
        var header = await StripeNode.SignAsync(Payload, Now, new StripeSignatureSpec(Secret, "v0"), new StripeSignatureSpec(Secret));

        var outcome = Verifier(Secret).Verify(header + ",v2=abc,foo=bar,x=", Encoding.UTF8.GetBytes(Payload));

        Assert.True(outcome.IsVerified, outcome.ToString());
    }

    [Theory]
    [InlineData(-300, true)]
    [InlineData(-301, false)]
    [InlineData(-86_400, false)]
    [InlineData(300, true)]
    [InlineData(301, false)]
    [InlineData(86_400, false)]
    public async Task The_timestamp_must_be_within_five_minutes_either_way(int offsetSeconds, bool accepted)
    {
        var signedAt = Now + offsetSeconds;
        var header = await StripeNode.SignAsync(Payload, signedAt, Secret);

        var outcome = Verifier(Secret).Verify(header, Encoding.UTF8.GetBytes(Payload));

        Assert.Equal(accepted, outcome.IsVerified);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(signedAt), outcome.Timestamp);
        if (!accepted)
        {
            Assert.Equal(StripeSignatureFailure.TimestampOutsideTolerance, outcome.Failure);
        }
    }

    [Fact]
    public async Task The_tolerance_is_measured_on_the_given_clock_and_may_be_configured()
    {
        var header = await StripeNode.SignAsync(Payload, Now, Secret);
        var clock = new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Now));
        var verifier = new StripeSignatureVerifier([Secret], clock, TimeSpan.FromSeconds(60));
        var body = Encoding.UTF8.GetBytes(Payload);

        Assert.True(verifier.Verify(header, body).IsVerified);
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.True(verifier.Verify(header, body).IsVerified);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(StripeSignatureFailure.TimestampOutsideTolerance, verifier.Verify(header, body).Failure);
    }

    [Fact]
    public async Task Changing_any_single_byte_of_the_body_is_refused()
    {
        var random = WebhookSeed.For(nameof(Changing_any_single_byte_of_the_body_is_refused));
        var payload = RandomWebhook.Payload(random);
        var header = await StripeNode.SignAsync(payload, Now, Secret);
        var verifier = Verifier(Secret);
        var body = Encoding.UTF8.GetBytes(payload);
        Assert.True(verifier.Verify(header, body).IsVerified);

        for (var position = 0; position < body.Length; position++)
        {
            var tampered = (byte[])body.Clone();
            tampered[position] ^= (byte)(1 << random.Next(8));
            Assert.Equal(StripeSignatureFailure.NoMatchingSignature, verifier.Verify(header, tampered).Failure);
        }

        Assert.Equal(StripeSignatureFailure.NoMatchingSignature, verifier.Verify(header, [.. body, (byte)'\n']).Failure);
        Assert.Equal(StripeSignatureFailure.NoMatchingSignature, verifier.Verify(header, body.AsSpan(0, body.Length - 1)).Failure);
        Assert.Equal(StripeSignatureFailure.NoMatchingSignature, verifier.Verify(header, []).Failure);
    }

    [Fact]
    public async Task The_body_is_checked_as_received_not_as_reserialized()
    {
        var indented = "{\n  \"id\": \"evt_1\",\n  \"object\": \"event\"\n}";
        var header = await StripeNode.SignAsync(indented, Now, Secret);
        var verifier = Verifier(Secret);

        Assert.True(verifier.Verify(header, Encoding.UTF8.GetBytes(indented)).IsVerified);
        Assert.False(verifier.Verify(header, """{"id":"evt_1","object":"event"}"""u8).IsVerified);
        Assert.False(verifier.Verify(header, Encoding.UTF8.GetBytes(indented.Replace("\n", "\r\n", StringComparison.Ordinal))).IsVerified);
    }

    [Fact]
    public async Task A_changed_timestamp_breaks_the_signature()
    {
        var header = await StripeNode.SignAsync(Payload, Now, Secret);
        var moved = header.Replace($"t={Now}", $"t={Now + 1}", StringComparison.Ordinal);

        Assert.Equal(StripeSignatureFailure.NoMatchingSignature, Verifier(Secret).Verify(moved, Encoding.UTF8.GetBytes(Payload)).Failure);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_missing_header_is_refused(string? header)
    {
        var outcome = Verifier(Secret).Verify(header, Encoding.UTF8.GetBytes(Payload));

        Assert.Equal(StripeSignatureFailure.MissingHeader, outcome.Failure);
        Assert.Null(outcome.SecretIndex);
    }

    [Fact]
    public async Task Without_a_usable_secret_every_delivery_is_refused()
    {
        // An empty HMAC key is one anyone can sign with: stripe-node signs with it happily, the verifier never trusts it.
        var signedWithEmptyKey = await StripeNode.SignAsync(Payload, Now, "");
        var signedWithBlankKey = await StripeNode.SignAsync(Payload, Now, "   ");
        var body = Encoding.UTF8.GetBytes(Payload);

        foreach (var secrets in new[] { Array.Empty<string>(), [""], ["   "], ["", "\t\n"] })
        {
            var verifier = Verifier(secrets);
            Assert.Equal(StripeSignatureFailure.NoSecretConfigured, verifier.Verify(signedWithEmptyKey, body).Failure);
            Assert.Equal(StripeSignatureFailure.NoSecretConfigured, verifier.Verify(signedWithBlankKey, body).Failure);
            Assert.Equal(StripeSignatureFailure.NoSecretConfigured, verifier.Verify(null, body).Failure);
        }

        Assert.Equal(StripeSignatureFailure.NoMatchingSignature, Verifier("", Secret).Verify(signedWithEmptyKey, body).Failure);
    }

    [Fact]
    public async Task The_key_is_the_whole_secret_prefix_included()
    {
        var header = await StripeNode.SignAsync(Payload, Now, Secret);
        var body = Encoding.UTF8.GetBytes(Payload);

        Assert.True(Verifier(Secret).Verify(header, body).IsVerified);
        Assert.False(Verifier(Secret["whsec_".Length..]).Verify(header, body).IsVerified);
        Assert.False(Verifier(Secret + "\n").Verify(header, body).IsVerified);
    }

    [Fact]
    public async Task Whitespace_around_items_is_tolerated()
    {
        var header = await StripeNode.SignAsync(Payload, Now, new StripeSignatureSpec(OtherSecret), new StripeSignatureSpec(Secret));
        var spaced = " " + header.Replace(",", " ,\t ", StringComparison.Ordinal) + " ";

        var outcome = Verifier(Secret).Verify(spaced, Encoding.UTF8.GetBytes(Payload));

        Assert.True(outcome.IsVerified, outcome.ToString());
    }

    [Fact]
    public async Task Only_lowercase_hex_signatures_match_as_in_stripes_libraries()
    {
        var header = await StripeNode.SignAsync(Payload, Now, Secret);
        var upper = header.Replace("v1=", "", StringComparison.Ordinal).ToUpperInvariant().Replace("T=", "t=", StringComparison.Ordinal).Replace(",", ",v1=", StringComparison.Ordinal);
        Assert.Matches("^t=[0-9]+,v1=[0-9A-F]{64}$", upper);

        Assert.Equal(StripeSignatureFailure.NoMatchingSignature, Verifier(Secret).Verify(upper, Encoding.UTF8.GetBytes(Payload)).Failure);
    }

    [Fact]
    public async Task Sixteen_signatures_are_read_and_a_seventeenth_is_refused()
    {
        var header = await StripeNode.SignAsync(Payload, Now, Secret);
        var good = header.Split(',')[1];
        var decoy = "v1=" + new string('0', 64);
        var body = Encoding.UTF8.GetBytes(Payload);
        var verifier = Verifier(Secret);

        var sixteen = $"t={Now}," + string.Join(',', Enumerable.Repeat(decoy, 15)) + "," + good;
        Assert.True(verifier.Verify(sixteen, body).IsVerified);

        var seventeen = $"t={Now}," + string.Join(',', Enumerable.Repeat(decoy, 16)) + "," + good;
        Assert.Equal(StripeSignatureFailure.TooManySignatures, verifier.Verify(seventeen, body).Failure);
    }

    [Fact]
    public async Task Leading_zeros_in_t_sign_the_same_number_as_in_stripe_node()
    {
        var header = await StripeNode.SignAsync(Payload, Now, Secret);

        var outcome = Verifier(Secret).Verify(header.Replace("t=", "t=000", StringComparison.Ordinal), Encoding.UTF8.GetBytes(Payload));

        Assert.True(outcome.IsVerified, outcome.ToString());
    }

    [Fact]
    public async Task The_same_timestamp_twice_is_accepted_two_different_ones_are_malformed()
    {
        var header = await StripeNode.SignAsync(Payload, Now, Secret);
        var body = Encoding.UTF8.GetBytes(Payload);

        Assert.True(Verifier(Secret).Verify($"{header},t={Now}", body).IsVerified);
        Assert.Equal(StripeSignatureFailure.MalformedHeader, Verifier(Secret).Verify($"t={Now + 1},{header}", body).Failure);
    }

    [Fact]
    public void The_outcome_never_shows_a_secret_or_a_signature()
    {
        var signature = new string('a', 64);
        var outcomes = new[]
        {
            Verifier(Secret).Verify($"t={Now},v1={signature}", "{}"u8),
            Verifier(Secret).Verify($"t=x,v1={signature}", "{}"u8),
            Verifier(Secret).Verify(null, "{}"u8),
        };

        foreach (var outcome in outcomes)
        {
            Assert.DoesNotContain(Secret, outcome.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(signature, outcome.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_tolerance_below_one_second_is_a_configuration_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StripeSignatureVerifier([Secret], TimeProvider.System, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StripeSignatureVerifier([Secret], TimeProvider.System, TimeSpan.FromSeconds(-5)));
    }

    internal static StripeSignatureVerifier Verifier(params string[] secrets) =>
        new(secrets, new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Now)));
}
