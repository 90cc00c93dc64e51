using System.Globalization;
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
    [InlineData("SweepPeriod", "00:00:00.05")]
    [InlineData("SweepPeriod", "00:01:00.001")] // the hold's own expiry, 5 minutes after the timeout, must not come first
    [InlineData("SweepBatch", "1001")]
    [InlineData("SweepRetryDelay", "2.00:00:00")]
    [InlineData("EndingRetryDelay", "-00:00:01")]
    public void A_value_out_of_range_names_its_setting(string setting, string value)
    {
        var options = new CastOptions();
        switch (setting)
        {
            case "SweepPeriod": options.SweepPeriod = TimeSpan.Parse(value, CultureInfo.InvariantCulture); break;
            case "SweepBatch": options.SweepBatch = int.Parse(value, CultureInfo.InvariantCulture); break;
            case "SweepRetryDelay": options.SweepRetryDelay = TimeSpan.Parse(value, CultureInfo.InvariantCulture); break;
            default: options.EndingRetryDelay = TimeSpan.Parse(value, CultureInfo.InvariantCulture); break;
        }

        var failure = Assert.Throws<OptionsValidationException>(options.Validate);
        Assert.Equal($"Grid:Casts:{setting}", Assert.Single(failure.Failures).Split(' ')[0]);
    }

    [Fact]
    public void A_sweep_period_of_a_minute_is_the_longest_allowed() => new CastOptions { SweepPeriod = TimeSpan.FromMinutes(1) }.Validate();
}
