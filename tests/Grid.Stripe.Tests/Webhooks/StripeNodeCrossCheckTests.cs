using System.Text;
using Grid.Stripe.TestKit.Webhooks;
using Grid.Stripe.Tests.Webhooks.Support;
using Grid.Stripe.Webhooks;

namespace Grid.Stripe.Tests.Webhooks;

/// <summary>
/// For a seeded set of genuine, damaged and rotated deliveries, stripe-node's <c>webhooks.constructEvent</c> and the
/// grid's verifier must reach the same verdict, except in two deliberate ways checked here as well: a timestamp
/// beyond the tolerance in the future (stripe-node checks only the past; the grid refuses both), and spaces after
/// the commas (stripe-node then finds no <c>v1</c>; the grid trims items as Stripe's .NET and Ruby libraries do).
/// </summary>
public sealed class StripeNodeCrossCheckTests
{
    private const long Now = 1_767_225_600;
    private const int Tolerance = 300;

    private enum Kind
    {
        Genuine,
        GenuineOldSecretConfiguredSecond,
        SignedUnderNewAndOld,
        RotatedOutSecret,
        WrongSecret,
        TamperedBody,
        StaleWithinTolerance,
        StaleBeyondTolerance,
        FutureWithinTolerance,
        V0Only,
        V0AndWrongV1,
        UppercaseHex,
        TruncatedSignature,
        UnknownKeysAround,
        DuplicateV1,
        NoTimestamp,
        EmptyV1,
        LeadingZerosInTimestamp,
        ChangedTimestamp,
        FutureBeyondTolerance,
        SpacesAfterCommas,
    }

    [Fact]
    public async Task Stripe_node_accepts_exactly_what_the_verifier_accepts()
    {
        var random = WebhookSeed.For(nameof(Stripe_node_accepts_exactly_what_the_verifier_accepts));
        var kinds = Enum.GetValues<Kind>();
        var plans = Enumerable.Range(0, kinds.Length * 6).Select(i => Plan(kinds[i % kinds.Length], random)).ToList();

        var headers = await StripeNode.SignAsync(plans.Select(p => p.Sign).ToList(), CancellationToken.None);
        var deliveries = plans.Select((plan, i) => plan with { Header = plan.Damage(headers[i]) }).ToList();
        var verdicts = await StripeNode.VerifyAsync(
            deliveries.Select(d => new StripeVerifyRequest(d.Body, d.Header!, d.Configured, Tolerance, Now)).ToList(),
            CancellationToken.None);

        var accepted = new HashSet<Kind>();
        for (var i = 0; i < deliveries.Count; i++)
        {
            var delivery = deliveries[i];
            var verifier = new StripeSignatureVerifier(delivery.Configured, new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(Now)), TimeSpan.FromSeconds(Tolerance));
            var ours = verifier.Verify(delivery.Header, Encoding.UTF8.GetBytes(delivery.Body));
            var node = verdicts[i];
            var context = $"seed {WebhookSeed.Value}, case {i} ({delivery.Kind}): header {delivery.Header}; ours: {ours}; stripe-node: {string.Join(" | ", node.Errors)}";

            switch (delivery.Kind)
            {
                case Kind.FutureBeyondTolerance:
                    Assert.True(node.Accepted, context);
                    Assert.Equal(StripeSignatureFailure.TimestampOutsideTolerance, ours.Failure);
                    break;
                case Kind.SpacesAfterCommas:
                    Assert.False(node.Accepted, context);
                    Assert.True(ours.IsVerified, context);
                    break;
                default:
                    Assert.True(node.Accepted == ours.IsVerified, context);
                    break;
            }

            if (ours.IsVerified)
            {
                accepted.Add(delivery.Kind);
            }
        }

        // The set is not trivially one-sided: these kinds are genuine and both sides accept them.
        Assert.Superset(
            new HashSet<Kind>
            {
                Kind.Genuine, Kind.GenuineOldSecretConfiguredSecond, Kind.SignedUnderNewAndOld, Kind.StaleWithinTolerance,
                Kind.FutureWithinTolerance, Kind.UnknownKeysAround, Kind.DuplicateV1, Kind.LeadingZerosInTimestamp,
            },
            accepted);
        Assert.DoesNotContain(Kind.TamperedBody, accepted);
        Assert.DoesNotContain(Kind.V0Only, accepted);
    }

    private static Delivery Plan(Kind kind, Random random)
    {
        var body = RandomWebhook.Payload(random);
        var secret = RandomWebhook.Secret(random);
        var old = RandomWebhook.Secret(random);
        var other = RandomWebhook.Secret(random);
        var at = Now + random.Next(-Tolerance, Tolerance + 1);

        static StripeSignatureSpec V1(string secret) => new(secret);
        static StripeSignatureSpec V0(string secret) => new(secret, "v0");
        StripeSignRequest Sign(long timestamp, params StripeSignatureSpec[] signatures) => new(body, timestamp, signatures);
        Delivery Make(StripeSignRequest sign, string[] configured, Func<string, string>? damage = null, string? deliveredBody = null) =>
            new(kind, sign, configured, damage ?? (h => h), deliveredBody ?? body);

        return kind switch
        {
            Kind.Genuine => Make(Sign(at, V1(secret)), [secret]),
            Kind.GenuineOldSecretConfiguredSecond => Make(Sign(at, V1(old)), [secret, old]),
            Kind.SignedUnderNewAndOld => Make(Sign(at, V1(secret), V1(old)), [random.Next(2) == 0 ? secret : old]),
            Kind.RotatedOutSecret => Make(Sign(at, V1(old)), [secret]),
            Kind.WrongSecret => Make(Sign(at, V1(other)), [secret]),
            Kind.TamperedBody => Make(Sign(at, V1(secret)), [secret], deliveredBody: Tamper(body, random)),
            Kind.StaleWithinTolerance => Make(Sign(Now - random.Next(0, Tolerance + 1), V1(secret)), [secret]),
            Kind.StaleBeyondTolerance => Make(Sign(Now - random.Next(Tolerance + 1, 100_000), V1(secret)), [secret]),
            Kind.FutureWithinTolerance => Make(Sign(Now + random.Next(0, Tolerance + 1), V1(secret)), [secret]),
            Kind.V0Only => Make(Sign(at, V0(secret)), [secret]),
            Kind.V0AndWrongV1 => Make(Sign(at, V0(secret), V1(other)), [secret]),
            Kind.UppercaseHex => Make(Sign(at, V1(secret)), [secret], UppercaseSignatures),
            Kind.TruncatedSignature => Make(Sign(at, V1(secret)), [secret], h => h[..^random.Next(1, 8)]),
            Kind.UnknownKeysAround => Make(Sign(at, V1(secret)), [secret], h => $"foo=bar,{h},v2=abc,scheme=v9"),
            Kind.DuplicateV1 => Make(Sign(at, V1(secret), V1(secret)), [secret]),
            Kind.NoTimestamp => Make(Sign(at, V1(secret)), [secret], h => h[(h.IndexOf(',', StringComparison.Ordinal) + 1)..]),
            Kind.EmptyV1 => Make(Sign(at, V1(secret)), [secret], h => h[..(h.IndexOf(',', StringComparison.Ordinal) + 1)] + "v1="),
            Kind.LeadingZerosInTimestamp => Make(Sign(at, V1(secret)), [secret], h => h.Replace("t=", "t=00", StringComparison.Ordinal)),
            Kind.ChangedTimestamp => Make(Sign(at, V1(secret)), [secret], h => h.Replace($"t={at}", $"t={at - 1}", StringComparison.Ordinal)),
            Kind.FutureBeyondTolerance => Make(Sign(Now + random.Next(Tolerance + 1, 100_000), V1(secret)), [secret]),
            Kind.SpacesAfterCommas => Make(Sign(at, V1(secret)), [secret], h => h.Replace(",", ", ", StringComparison.Ordinal)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    // The last digit of the amount changed to another, which keeps the text valid JSON for constructEvent.
    private static string Tamper(string body, Random random)
    {
        var at = body.IndexOf("\"amount\":", StringComparison.Ordinal) + "\"amount\":".Length;
        while (!char.IsAsciiDigit(body[at]))
        {
            at++;
        }

        while (char.IsAsciiDigit(body[at + 1]))
        {
            at++;
        }

        var digit = (char)('0' + ((body[at] - '0' + random.Next(1, 10)) % 10));
        return body[..at] + digit + body[(at + 1)..];
    }

    private static string UppercaseSignatures(string header) =>
        string.Join(',', header.Split(',').Select(item => item.StartsWith("v1=", StringComparison.Ordinal) ? "v1=" + item[3..].ToUpperInvariant() : item));

    private sealed record Delivery(Kind Kind, StripeSignRequest Sign, string[] Configured, Func<string, string> Damage, string Body)
    {
        public string? Header { get; init; }
    }
}
