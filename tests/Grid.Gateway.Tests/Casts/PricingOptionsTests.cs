using Grid.Gateway.Casts;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Tests.Casts;

/// <summary>A price list the silo starts with can be quoted and held: every listed price, with the buffer, is an amount.</summary>
public sealed class PricingOptionsTests
{
    [Theory]
    [InlineData(9_007_199_254_740_992L)] // past any amount
    [InlineData(8_000_000_000_000_000_000L)] // would overflow the hold
    [InlineData(9_000_000_000_000_000L)] // an amount, but not with its 20% buffer
    public void A_listed_price_no_start_could_hold_is_refused_naming_the_kind(long credits)
    {
        var options = new PricingOptions { Kinds = new(StringComparer.Ordinal) { ["upscale"] = 30, ["huge"] = credits } };
        var refused = Assert.Throws<OptionsValidationException>(options.Validate);
        Assert.Contains(refused.Failures, failure => failure.StartsWith("Grid:Pricing:Kinds:huge", StringComparison.Ordinal));
        Assert.DoesNotContain(refused.Failures, failure => failure.Contains("upscale", StringComparison.Ordinal));
    }

    [Fact]
    public void The_largest_price_that_holds_with_its_buffer_is_accepted()
    {
        new PricingOptions { BufferPercent = 0, Kinds = new(StringComparer.Ordinal) { ["max"] = 9_007_199_254_740_991L } }.Validate();
    }
}
