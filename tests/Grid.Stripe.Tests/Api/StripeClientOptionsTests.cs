using Grid.Stripe.Api;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grid.Stripe.Tests.Api;

public sealed class StripeClientOptionsTests
{
    private const string Key = "sk_live_51Example0000000000000000000000000000000000000000000000000000000000xK9z";

    [Fact]
    public void The_api_version_is_pinned_to_a_dated_stripe_version()
    {
        Assert.Equal("2024-06-20", StripeClientOptions.ApiVersion);
    }

    [Fact]
    public void Defaults_with_a_key_are_valid_and_point_at_stripe()
    {
        var options = new StripeClientOptions { SecretKey = Key };

        options.Validate();
        Assert.Equal(new Uri("https://api.stripe.com"), options.ApiBase);
        Assert.InRange(options.MaxAttempts, 2, StripeClientOptions.MaxAttemptsLimit);
    }

    [Fact]
    public void Describing_the_settings_shows_only_the_last_four_characters_of_the_key()
    {
        var options = new StripeClientOptions { SecretKey = Key };

        var text = options.ToString();

        Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Key[..12], text, StringComparison.Ordinal);
        Assert.Contains("...xK9z", text, StringComparison.Ordinal);
        Assert.Equal("...xK9z", options.SecretKeyHint);
    }

    public static TheoryData<string, Action<StripeClientOptions>> BadSettings => new()
    {
        { "SecretKey", o => o.SecretKey = "" },
        { "publishable", o => o.SecretKey = "pk_test_51Example000000000000" },
        { "SecretKey", o => o.SecretKey = "whsec_51Example000000000000" },
        { "SecretKey", o => o.SecretKey = "sk_test_with space" },
        { "https", o => o.ApiBase = new Uri("http://api.stripe.com") },
        { "AttemptTimeout", o => o.AttemptTimeout = TimeSpan.Zero },
        { "MaxAttempts", o => o.MaxAttempts = 0 },
        { "MaxAttempts", o => o.MaxAttempts = StripeClientOptions.MaxAttemptsLimit + 1 },
        { "BaseDelay", o => o.BaseDelay = TimeSpan.Zero },
        { "MaxDelay", o => o.MaxDelay = TimeSpan.FromMilliseconds(100) },
        { "MaxRetryAfter", o => o.MaxRetryAfter = TimeSpan.FromHours(1) },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Bad_settings_are_refused_by_name_without_showing_the_key(string named, Action<StripeClientOptions> spoil)
    {
        var options = new StripeClientOptions { SecretKey = Key };
        spoil(options);

        var error = Assert.Throws<StripeSettingsException>(options.Validate);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
        Assert.Throws<StripeSettingsException>(() => new StripeClient(options, TimeProvider.System, NullLogger<StripeClient>.Instance));
    }

    [Fact]
    public void Plain_http_is_allowed_to_a_loopback_address_only()
    {
        new StripeClientOptions { SecretKey = Key, ApiBase = new Uri("http://127.0.0.1:12111") }.Validate();
        new StripeClientOptions { SecretKey = Key, ApiBase = new Uri("http://localhost:12111") }.Validate();
        Assert.Throws<StripeSettingsException>(new StripeClientOptions { SecretKey = Key, ApiBase = new Uri("http://10.0.0.1") }.Validate);
    }
}
