using Grid.Ledger.Commands;
using Grid.Ledger.Idempotency;
using Xunit;

namespace Grid.Ledger.Tests;

/// <summary>The stored form of a command's arguments and how a repeated operation id is compared field by field.</summary>
public sealed class CanonicalRequestTests
{
    [Fact]
    public void A_missing_value_and_an_empty_one_are_different_requests()
    {
        Assert.Equal("reference", CanonicalRequest.Build(("reference", null)));
        Assert.Equal("reference=", CanonicalRequest.Build(("reference", "")));
        Assert.Equal("reference", CanonicalRequest.FirstDifference("reference", "reference="));
        Assert.Equal("", CanonicalRequest.Build());
    }

    [Fact]
    public void Values_with_separators_are_encoded_so_they_cannot_forge_another_field()
    {
        var forged = CanonicalRequest.Build(("amount", "5&reference=x"));
        var honest = CanonicalRequest.Build(("amount", "5"), ("reference", "x"));
        Assert.NotEqual(honest, forged);
        Assert.Equal("amount", CanonicalRequest.FirstDifference(honest, forged));
        Assert.Null(CanonicalRequest.FirstDifference(forged, CanonicalRequest.Build(("amount", "5&reference=x"))));
    }

    [Fact]
    public void Equal_movements_have_no_difference_and_each_differing_field_is_named_in_canonical_order()
    {
        var original = new Debit("op", 100, "ref", "{\"a\":1}").ToRequest();
        Assert.Null(CanonicalRequest.FirstDifference(original, new Debit("op", 100, "ref", "{\"a\":1}").ToRequest()));
        Assert.Equal("amount", CanonicalRequest.FirstDifference(original, new Debit("op", 101, "other", null).ToRequest()));
        Assert.Equal("reference", CanonicalRequest.FirstDifference(original, new Debit("op", 100, "other", null).ToRequest()));
        Assert.Equal("reference", CanonicalRequest.FirstDifference(original, new Debit("op", 100, null, "{\"a\":1}").ToRequest()));
        Assert.Equal("metadata", CanonicalRequest.FirstDifference(original, new Debit("op", 100, "ref", "{\"a\":2}").ToRequest()));
    }

    [Fact]
    public void The_operation_id_itself_is_not_part_of_the_request()
    {
        Assert.Equal(new Deposit("a", 5).ToRequest(), new Deposit("b", 5).ToRequest());
    }

    [Fact]
    public void Capture_compares_hold_then_amount_then_finality()
    {
        var original = new CaptureHold("c", "h1", 10, Final: false).ToRequest();
        Assert.Equal("holdId", CanonicalRequest.FirstDifference(original, new CaptureHold("c", "h2", 11, Final: true).ToRequest()));
        Assert.Equal("amount", CanonicalRequest.FirstDifference(original, new CaptureHold("c", "h1", 11, Final: true).ToRequest()));
        Assert.Equal("final", CanonicalRequest.FirstDifference(original, new CaptureHold("c", "h1", 10).ToRequest()));
    }

    [Fact]
    public void Hold_expiry_and_adjustment_reason_are_compared()
    {
        var hold = new PlaceHold("h", 10, TimeSpan.FromSeconds(30), "cast").ToRequest();
        Assert.Null(CanonicalRequest.FirstDifference(hold, new PlaceHold("h", 10, TimeSpan.FromSeconds(30), "cast").ToRequest()));
        Assert.Equal("expiresInMs", CanonicalRequest.FirstDifference(hold, new PlaceHold("h", 10, null, "cast").ToRequest()));
        Assert.Equal("expiresInMs", CanonicalRequest.FirstDifference(hold, new PlaceHold("h", 10, TimeSpan.FromSeconds(31), "cast").ToRequest()));
        Assert.Equal("reference", CanonicalRequest.FirstDifference(hold, new PlaceHold("h", 10, TimeSpan.FromSeconds(30)).ToRequest()));
        Assert.Equal("reason", CanonicalRequest.FirstDifference(new Adjust("a", -5, "typo").ToRequest(), new Adjust("a", -5, "other").ToRequest()));
        Assert.Equal("amount", CanonicalRequest.FirstDifference(new Adjust("a", -5, "typo").ToRequest(), new Adjust("a", 5, "typo").ToRequest()));
    }

    [Fact]
    public void An_ordinary_hold_keeps_the_request_it_was_stored_with_and_only_a_forced_one_says_forced()
    {
        Assert.Equal("amount=10&expiresInMs=30000&reference=cast", new PlaceHold("h", 10, TimeSpan.FromSeconds(30), "cast").ToRequest());
        Assert.Equal("amount=10&expiresInMs&reference", new PlaceHold("h", 10).ToRequest());
        Assert.Equal("amount=10&expiresInMs&reference=dp_1&forced=true", new PlaceHold("h", 10, null, "dp_1", Forced: true).ToRequest());
        Assert.True(PlaceHold.IsForcedRequest(new PlaceHold("h", 10, Forced: true).ToRequest()));
        Assert.False(PlaceHold.IsForcedRequest(new PlaceHold("h", 10).ToRequest()));
        Assert.False(PlaceHold.IsForcedRequest(CanonicalRequest.Build(("reference", "forced=true"))));
        Assert.Equal("forced", CanonicalRequest.FirstDifference(new PlaceHold("h", 10).ToRequest(), new PlaceHold("h", 10, Forced: true).ToRequest()));
        Assert.Equal("forced", CanonicalRequest.FirstDifference(new PlaceHold("h", 10, Forced: true).ToRequest(), new PlaceHold("h", 10).ToRequest()));
    }

    [Fact]
    public void A_field_only_one_side_has_is_the_difference()
    {
        Assert.Equal("final", CanonicalRequest.FirstDifference("holdId=h&amount=1", "holdId=h&amount=1&final=true"));
        Assert.Equal("final", CanonicalRequest.FirstDifference("holdId=h&amount=1&final=true", "holdId=h&amount=1"));
    }
}
