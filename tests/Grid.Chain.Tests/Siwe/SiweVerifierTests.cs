using System.Globalization;
using Grid.Chain.Siwe;
using Grid.Chain.Tests.Support;
using Grid.TestKit;
using Xunit;

namespace Grid.Chain.Tests.Siwe;

/// <summary>The verifier against messages the siwe package wrote and ethers wallets signed, good and tampered.</summary>
public sealed class SiweVerifierTests(SiweVectorsFixture oracle) : IClassFixture<SiweVectorsFixture>
{
    private static readonly string[] TamperedKinds =
    [
        "wrong_domain", "wrong_domain_port", "wrong_scheme", "wrong_uri_host", "wrong_uri_scheme", "wrong_uri_port",
        "wrong_chain", "expired", "not_yet_valid", "issued_in_future", "tampered_text", "other_key", "high_s",
    ];

    private SiweVectors Vectors => oracle.Vectors;

    private IEnumerable<SiweVectors.Vector> Good => Vectors.Vectors.Where(v => v.Expected == SiweVectors.Good);

    [Fact]
    public async Task Accepts_every_good_message_and_consumes_its_nonce()
    {
        var store = new InMemorySiweNonceStore();
        var verifier = Verifier(store);
        Assert.Equal(SiweVectors.GoodCount, Good.Count());
        foreach (var vector in Good)
        {
            store.Issue(vector.Nonce);
            var result = await verifier.VerifyAsync(vector.Message, vector.Signature, Expectations(), CancellationToken.None);

            Assert.True(result.Succeeded, $"{vector}: {result.Failure}");
            Assert.Equal(vector.Address, result.SignIn.Address.ToString());
            Assert.Equal(vector.Fields.ChainId, result.SignIn.ChainId);
            Assert.Equal(ParseOrNull(vector.Fields.ExpirationTime), result.SignIn.ExpiresAt);
            Assert.Equal(vector.Message, result.SignIn.Message.ToText());
            Assert.False(store.IsOutstanding(vector.Nonce));
        }
    }

    [Fact]
    public async Task Refuses_each_tampered_kind_with_its_reason_and_leaves_the_nonce_unspent()
    {
        var tampered = Vectors.Vectors.Where(v => v.Expected != SiweVectors.Good).ToList();
        Assert.Equal(TamperedKinds.Order(), tampered.Select(v => v.Kind).Distinct().Order());

        var wrong = new List<string>();
        foreach (var vector in tampered)
        {
            var store = new InMemorySiweNonceStore();
            store.Issue(vector.Nonce);
            var result = await Verifier(store).VerifyAsync(vector.Message, vector.Signature, Expectations(), CancellationToken.None);

            if (result.Succeeded || result.Failure.Code != vector.Expected)
            {
                wrong.Add($"{vector}: expected {vector.Expected}, got {(result.Succeeded ? "success" : result.Failure.ToString())}");
            }

            // A refused request never reaches the store, so its nonce still works for a correct retry.
            Assert.Equal(0, store.ConsumeCalls);
            Assert.True(store.IsOutstanding(vector.Nonce));
        }

        Assert.Empty(wrong);
    }

    [Fact]
    public async Task A_high_s_signature_is_refused_for_its_s_not_as_another_signer()
    {
        var vector = Vectors.Vectors.First(v => v.Kind == "high_s");
        var store = new InMemorySiweNonceStore();
        store.Issue(vector.Nonce);
        var result = await Verifier(store).VerifyAsync(vector.Message, vector.Signature, Expectations(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(SiweFailureReason.BadSignature, result.Failure.Reason);
        Assert.Contains("upper half", result.Failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nonce_works_once()
    {
        var vector = Good.First();
        var store = new InMemorySiweNonceStore();
        store.Issue(vector.Nonce);
        var verifier = Verifier(store);

        var first = await verifier.VerifyAsync(vector.Message, vector.Signature, Expectations(), CancellationToken.None);
        var second = await verifier.VerifyAsync(vector.Message, vector.Signature, Expectations(), CancellationToken.None);

        Assert.True(first.Succeeded, first.Failure?.ToString());
        Assert.False(second.Succeeded);
        Assert.Equal(SiweFailure.NonceInvalidCode, second.Failure.Code);
        Assert.Equal(SiweField.Nonce, second.Failure.Field);
    }

    [Fact]
    public async Task A_nonce_the_server_never_issued_is_refused()
    {
        var vector = Good.First();
        var store = new InMemorySiweNonceStore();
        store.Issue("someOtherNonce123");

        var result = await Verifier(store).VerifyAsync(vector.Message, vector.Signature, Expectations(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(SiweFailure.NonceInvalidCode, result.Failure.Code);
        Assert.True(store.IsOutstanding("someOtherNonce123"));
    }

    [Fact]
    public async Task Of_concurrent_submissions_of_one_message_exactly_one_succeeds()
    {
        var vector = Good.First();
        var store = new InMemorySiweNonceStore();
        store.Issue(vector.Nonce);
        var verifier = Verifier(store);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(async () => await verifier.VerifyAsync(vector.Message, vector.Signature, Expectations(), CancellationToken.None))));

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(SiweFailure.NonceInvalidCode, r.Failure!.Code));
    }

    [Fact]
    public async Task Expiration_is_enforced_to_the_clock_skew()
    {
        var vector = Good.First(v => v.Fields.ExpirationTime is not null);
        var expiration = DateTimeOffset.Parse(vector.Fields.ExpirationTime!, CultureInfo.InvariantCulture);
        var skew = TimeSpan.FromSeconds(Vectors.Expectations.ClockSkewSeconds);

        Assert.True((await VerifyAt(vector, expiration + skew - TimeSpan.FromTicks(1))).Succeeded);
        var late = await VerifyAt(vector, expiration + skew);
        Assert.Equal((SiweFailure.ExpiredCode, SiweField.ExpirationTime), (late.Failure?.Code, late.Failure?.Field));
    }

    [Fact]
    public async Task Not_before_is_enforced_to_the_clock_skew()
    {
        var vector = Good.First(v => v.Fields.NotBefore is not null
            && DateTimeOffset.Parse(v.Fields.IssuedAt, CultureInfo.InvariantCulture) <= DateTimeOffset.Parse(v.Fields.NotBefore, CultureInfo.InvariantCulture));
        var notBefore = DateTimeOffset.Parse(vector.Fields.NotBefore!, CultureInfo.InvariantCulture);
        var skew = TimeSpan.FromSeconds(Vectors.Expectations.ClockSkewSeconds);

        Assert.True((await VerifyAt(vector, notBefore - skew)).Succeeded);
        var early = await VerifyAt(vector, notBefore - skew - TimeSpan.FromTicks(1));
        Assert.Equal((SiweFailure.NotYetValidCode, SiweField.NotBefore), (early.Failure?.Code, early.Failure?.Field));
    }

    [Fact]
    public async Task Issued_at_may_be_ahead_of_the_clock_by_the_skew_and_no_more()
    {
        var vector = Good.First(v => v.Fields.NotBefore is null);
        var issuedAt = DateTimeOffset.Parse(vector.Fields.IssuedAt, CultureInfo.InvariantCulture);
        var skew = TimeSpan.FromSeconds(Vectors.Expectations.ClockSkewSeconds);

        Assert.True((await VerifyAt(vector, issuedAt - skew)).Succeeded);
        var early = await VerifyAt(vector, issuedAt - skew - TimeSpan.FromTicks(1));
        Assert.Equal((SiweFailure.IssuedInFutureCode, SiweField.IssuedAt), (early.Failure?.Code, early.Failure?.Field));
    }

    [Fact]
    public async Task A_larger_clock_skew_accepts_what_the_default_refuses()
    {
        var vector = Vectors.Vectors.First(v => v.Kind == "expired");
        var store = new InMemorySiweNonceStore();
        store.Issue(vector.Nonce);

        var result = await Verifier(store).VerifyAsync(vector.Message, vector.Signature, Expectations() with { AllowedClockSkew = TimeSpan.FromMinutes(3) }, CancellationToken.None);

        Assert.True(result.Succeeded, result.Failure?.ToString());
    }

    [Fact]
    public async Task The_domain_compares_without_regard_to_case_and_the_uri_by_origin()
    {
        var vector = Good.First();
        var store = new InMemorySiweNonceStore();
        store.Issue(vector.Nonce);
        var expectations = Expectations() with { Domain = "GRID.Example", Uri = new Uri("HTTPS://grid.example:443/some/other/page?x=1") };

        var result = await Verifier(store).VerifyAsync(vector.Message, vector.Signature, expectations, CancellationToken.None);

        Assert.True(result.Succeeded, result.Failure?.ToString());
    }

    [Theory]
    [InlineData("not a sign-in message")]
    [InlineData("")]
    [InlineData(null)]
    public async Task Text_that_is_not_a_message_is_malformed(string? text)
    {
        var store = new InMemorySiweNonceStore();
        var result = await Verifier(store).VerifyAsync(text, Good.First().Signature, Expectations(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(SiweFailure.MalformedCode, result.Failure.Code);
        Assert.Equal(SiweField.Message, result.Failure.Field);
        Assert.Contains("line 1", result.Failure.Detail, StringComparison.Ordinal);
        Assert.Equal(0, store.ConsumeCalls);
    }

    [Fact]
    public async Task A_malformed_field_is_named()
    {
        var vector = Good.First();
        var text = vector.Message.Replace("Version: 1", "Version: 2", StringComparison.Ordinal);

        var result = await Verifier(new InMemorySiweNonceStore()).VerifyAsync(text, vector.Signature, Expectations(), CancellationToken.None);

        Assert.Equal((SiweFailure.MalformedCode, SiweField.Version), (result.Failure?.Code, result.Failure?.Field));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("0x")]
    [InlineData("0x1234")]
    [InlineData("zz")]
    public async Task A_signature_that_is_not_65_bytes_of_hex_is_malformed(string? signature)
    {
        var vector = Good.First();
        var store = new InMemorySiweNonceStore();
        store.Issue(vector.Nonce);

        var result = await Verifier(store).VerifyAsync(vector.Message, signature, Expectations(), CancellationToken.None);

        Assert.Equal((SiweFailure.MalformedCode, SiweField.Signature), (result.Failure?.Code, result.Failure?.Field));
        Assert.True(store.IsOutstanding(vector.Nonce));
    }

    [Fact]
    public async Task A_signature_off_by_a_byte_in_length_or_content_is_refused()
    {
        var vector = Good.First();
        var hex = vector.Signature[2..];
        var truncated = "0x" + hex[..^2];
        var extended = vector.Signature + "00";
        var wrongV = "0x" + hex[..^2] + "1d";

        foreach (var (signature, code) in new[] { (truncated, SiweFailure.MalformedCode), (extended, SiweFailure.MalformedCode), (wrongV, SiweFailure.BadSignatureCode) })
        {
            var store = new InMemorySiweNonceStore();
            store.Issue(vector.Nonce);
            var result = await Verifier(store).VerifyAsync(vector.Message, signature, Expectations(), CancellationToken.None);
            Assert.Equal(code, result.Failure?.Code);
            Assert.True(store.IsOutstanding(vector.Nonce));
        }
    }

    [Fact]
    public async Task A_signature_without_0x_or_in_upper_case_is_accepted()
    {
        var vector = Good.First();
        var store = new InMemorySiweNonceStore();
        store.Issue(vector.Nonce);

        var result = await Verifier(store).VerifyAsync(vector.Message, vector.Signature[2..].ToUpperInvariant(), Expectations(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Failure?.ToString());
    }

    [Fact]
    public async Task Expectations_that_nothing_can_meet_are_a_configuration_error()
    {
        var verifier = Verifier(new InMemorySiweNonceStore());
        var vector = Good.First();

        await Assert.ThrowsAsync<ArgumentException>(async () => await verifier.VerifyAsync(vector.Message, vector.Signature, Expectations() with { ChainIds = [] }, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(async () => await verifier.VerifyAsync(vector.Message, vector.Signature, Expectations() with { Domain = " " }, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(async () => await verifier.VerifyAsync(vector.Message, vector.Signature, Expectations() with { Uri = new Uri("/login", UriKind.Relative) }, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await verifier.VerifyAsync(vector.Message, vector.Signature, Expectations() with { AllowedClockSkew = TimeSpan.FromSeconds(-1) }, CancellationToken.None));
    }

    private SiweExpectations Expectations() => new()
    {
        Domain = Vectors.Expectations.Domain,
        Scheme = Vectors.Expectations.Scheme,
        Uri = new Uri(Vectors.Expectations.Uri),
        ChainIds = Vectors.Expectations.ChainIds.ToArray(),
        AllowedClockSkew = TimeSpan.FromSeconds(Vectors.Expectations.ClockSkewSeconds),
    };

    private SiweVerifier Verifier(InMemorySiweNonceStore store) => Verifier(store, Vectors.Now);

    private static SiweVerifier Verifier(InMemorySiweNonceStore store, DateTimeOffset now) => new(store, new ManualTimeProvider(now));

    private async Task<SiweVerificationResult> VerifyAt(SiweVectors.Vector vector, DateTimeOffset now)
    {
        var store = new InMemorySiweNonceStore();
        store.Issue(vector.Nonce);
        return await Verifier(store, now).VerifyAsync(vector.Message, vector.Signature, Expectations(), CancellationToken.None);
    }

    private static DateTimeOffset? ParseOrNull(string? text) =>
        text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
