using Grid.Gateway.Proxies;
using Microsoft.Extensions.Configuration;

namespace Grid.Gateway.Tests;

/// <summary><c>Grid:Gateway:TrustedProxies</c> as a list or as one comma-separated value; a bad entry is named.</summary>
public sealed class TrustedProxyOptionsTests
{
    private static TrustedProxyOptions Read(params (string Key, string Value)[] settings) =>
        TrustedProxyOptions.From(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

    [Fact]
    public void A_list_and_a_single_value_name_the_same_networks()
    {
        var listed = Read(("Grid:Gateway:TrustedProxies:0", "10.0.0.0/8"), ("Grid:Gateway:TrustedProxies:1", "192.168.1.7"));
        var single = Read(("Grid:Gateway:TrustedProxies", " 10.0.0.0/8 ,192.168.1.7,"));

        Assert.Equal(["10.0.0.0/8", "192.168.1.7"], listed.TrustedProxies);
        Assert.Equal(listed.TrustedProxies, single.TrustedProxies);
        Assert.Equal(listed.Networks(), single.Networks());
        Assert.Empty(Read().Networks());
    }

    [Fact]
    public void An_entry_that_is_no_network_is_refused_naming_it()
    {
        var failure = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Read(("Grid:Gateway:TrustedProxies", "10.0.0.0/8,proxy.internal")).Networks());
        Assert.Contains("proxy.internal", Assert.Single(failure.Failures), StringComparison.Ordinal);
    }
}
