using Grid.Grains.Casts;
using Microsoft.Extensions.Options;
using Xunit;

namespace Grid.Grains.Tests.Casts;

/// <summary>The casts' settings: the defaults hold, and a value out of range fails start-up naming its setting.</summary>
public sealed class CastOptionsTests
{
    [Fact]
    public void The_defaults_are_valid() => new CastOptions().Validate();

    [Theory]
    [InlineData("SweepPeriod")]
    [InlineData("SweepPeriod above a minute")]
    [InlineData("SweepBatch")]
    [InlineData("SweepRetryDelay")]
    [InlineData("EndingRetryDelay")]
    public void A_value_out_of_range_names_its_setting(string setting)
    {
        var options = new CastOptions();
        switch (setting)
        {
            case "SweepPeriod": options.SweepPeriod = TimeSpan.FromMilliseconds(50); break;
            case "SweepPeriod above a minute": options.SweepPeriod = TimeSpan.FromMinutes(2); break; // the hold's own expiry would come first
            case "SweepBatch": options.SweepBatch = 1_001; break;
            case "SweepRetryDelay": options.SweepRetryDelay = TimeSpan.FromDays(2); break;
            default: options.EndingRetryDelay = TimeSpan.FromSeconds(-1); break;
        }

        var failure = Assert.Throws<OptionsValidationException>(options.Validate);
        Assert.Equal($"Grid:Casts:{setting.Split(' ')[0]}", Assert.Single(failure.Failures).Split(' ')[0]);
    }
}
