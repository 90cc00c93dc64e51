using Grid.Runtime.Membership;
using Microsoft.Extensions.Options;
using Xunit;

namespace Grid.Runtime.Tests.Membership;

public sealed class ClusterOptionsTests
{
    [Fact]
    public void Settings_that_cannot_work_are_refused_by_name()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => new ClusterOptions
        {
            Enabled = true,
            Endpoint = "not a url",
            HeartbeatPeriod = TimeSpan.FromSeconds(2),
            SuspectTimeout = TimeSpan.FromSeconds(3),
        }.Validate());

        Assert.Contains(failure.Failures, f => f.Contains("Grid:Cluster:Endpoint", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.Contains("Grid:Cluster:SuspectTimeout", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.Contains("Grid:Cluster:Secret", StringComparison.Ordinal));
        new ClusterOptions().Validate(); // the defaults, with the cluster off
    }

    [Fact]
    public void An_https_endpoint_is_refused_as_the_cluster_port_speaks_h2c()
    {
        var options = new ClusterOptions { Enabled = true, Endpoint = "https://10.0.0.5:11111", Secret = new string('s', 32) };
        var failure = Assert.Throws<OptionsValidationException>(options.Validate);
        Assert.Contains(failure.Failures, f => f.Contains("Grid:Cluster:Endpoint", StringComparison.Ordinal) && f.Contains("h2c", StringComparison.Ordinal));
        options.Endpoint = "http://10.0.0.5:11111";
        options.Validate();
    }
}
