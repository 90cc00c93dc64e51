using System.Text;
using Grid.Stripe.TestKit.Webhooks;
using Grid.Stripe.Tests.Webhooks.Support;
using Grid.Stripe.Webhooks;

namespace Grid.Stripe.Tests.Webhooks;

/// <summary>Headers no one signed: each is refused with its reason, and none makes the verifier throw.</summary>
public sealed class StripeSignatureHeaderGarbageTests
{
    private const long Now = 1_767_225_600;
    private const string Secret = "whsec_5Jq0bM1nB7wD2yVtK8rXzL3pF6hG9sAc";
    private static readonly string Hex = new('a', 64);

    public static TheoryData<string, StripeSignatureFailure> Garbage => new()
    {
        { "garbage", StripeSignatureFailure.MalformedHeader },
        { "t", StripeSignatureFailure.MalformedHeader },
        { "=", StripeSignatureFailure.MalformedHeader },
        { "=1767225600", StripeSignatureFailure.MalformedHeader },
        { ",,,", StripeSignatureFailure.MalformedHeader },
        { $"v1={Hex}", StripeSignatureFailure.MalformedHeader },
        { $"t=,v1={Hex}", StripeSignatureFailure.MalformedHeader },
        { $"t=abc,v1={Hex}", StripeSignatureFailure.MalformedHeader },
        { $"t=-1767225600,v1={Hex}", StripeSignatureFailure.MalformedHeader },
        { $"t=+1767225600,v1={Hex}", StripeSignatureFailure.MalformedHeader },
        { $"t=1.7e9,v1={Hex}", StripeSignatureFailure.MalformedHeader },
        { $"t=1767225600x,v1={Hex}", StripeSignatureFailure.MalformedHeader },
        { $"t= 1767225600,v1={Hex}", StripeSignatureFailure.MalformedHeader },
        { $"t=١٧٦٧٢٢٥٦٠٠,v1={Hex}", StripeSignatureFailure.MalformedHeader },
        { $"t=99999999999999999999999,v1={Hex}", StripeSignatureFailure.MalformedHeader },
        { $"T=1767225600,v1={Hex}", StripeSignatureFailure.MalformedHeader },
        { $"t=1767225600,v1={Hex},garbage", StripeSignatureFailure.MalformedHeader },
        { "t=1767225600", StripeSignatureFailure.NoV1Signature },
        { $"t=1767225600,v0={Hex}", StripeSignatureFailure.NoV1Signature },
        { $"t=1767225600,V1={Hex}", StripeSignatureFailure.NoV1Signature },
        { $"t=1767225600,v1 ={Hex}", StripeSignatureFailure.NoV1Signature },
        { $"t=1767225600,v10={Hex}", StripeSignatureFailure.NoV1Signature },
        { "t=1767225600,v1=", StripeSignatureFailure.NoMatchingSignature },
        { "t=1767225600,v1=zz", StripeSignatureFailure.NoMatchingSignature },
        { $"t=1767225600,v1={Hex}", StripeSignatureFailure.NoMatchingSignature },
        { $"t=1767225600,v1={Hex}00", StripeSignatureFailure.NoMatchingSignature },
        { $"t=1767225600,v1={Hex[..62]}", StripeSignatureFailure.NoMatchingSignature },
        { $"t=1767225600,v1=0x{Hex[..62]}", StripeSignatureFailure.NoMatchingSignature },
        { "t=1767225600,v1=\0\0\0", StripeSignatureFailure.NoMatchingSignature },
        { "t=1767225600,v1=💳💳💳", StripeSignatureFailure.NoMatchingSignature },
        { "t=1767225600,v1=\ud800", StripeSignatureFailure.NoMatchingSignature },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Garbage_is_refused_with_its_reason(string header, StripeSignatureFailure failure)
    {
        var outcome = StripeSignatureVerifierTests.Verifier(Secret).Verify(header, "{}"u8);

        Assert.False(outcome.IsVerified);
        Assert.Equal(failure, outcome.Failure);
        Assert.Null(outcome.SecretIndex);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Detail));
    }

    [Fact]
    public async Task A_header_over_eight_kibibytes_is_refused_even_with_a_good_signature_in_it()
    {
        const string payload = """{"id":"evt_1","object":"event"}""";
        var header = await StripeNode.SignAsync(payload, Now, Secret);
        var padding = ",x=" + new string('y', StripeSignatureVerifier.MaxHeaderLength);
        var verifier = StripeSignatureVerifierTests.Verifier(Secret);

        Assert.True(verifier.Verify(header + padding[..(StripeSignatureVerifier.MaxHeaderLength - header.Length)], Encoding.UTF8.GetBytes(payload)).IsVerified);
        Assert.Equal(
            StripeSignatureFailure.HeaderTooLarge,
            verifier.Verify(header + padding[..(StripeSignatureVerifier.MaxHeaderLength - header.Length + 1)], Encoding.UTF8.GetBytes(payload)).Failure);
    }

    [Fact]
    public void Random_text_never_throws_and_never_verifies()
    {
        var random = WebhookSeed.For(nameof(Random_text_never_throws_and_never_verifies));
        var verifier = StripeSignatureVerifierTests.Verifier(Secret);
        string[] pieces = ["t", "=", ",", "v1", "v0", " ", "\t", "1767225600", "-", Hex, "0", "f", "é", "\0", "\ud83d", "💳", "\r\n", ";"];

        for (var i = 0; i < 5_000; i++)
        {
            var header = new StringBuilder();
            for (var length = random.Next(0, 30); length > 0; length--)
            {
                header.Append(random.Next(4) == 0 ? (char)random.Next(0, 0x10000) : pieces[random.Next(pieces.Length)]);
            }

            var body = new byte[random.Next(0, 64)];
            random.NextBytes(body);
            var outcome = verifier.Verify(header.ToString(), body);
            Assert.False(outcome.IsVerified, $"seed {WebhookSeed.Value}, header {header}");
            Assert.NotNull(outcome.Failure);
        }
    }
}
