using System.Net;
using Grid.Gateway.RateLimiting;

namespace Grid.Gateway.Tests;

/// <summary>Which bucket an address without a valid credential spends from.</summary>
public sealed class RateLimitPartitionTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    public void IPv4_addresses_count_alone_and_IPv6_ones_by_their_64(string address, string bucket)
    {
        Assert.Equal(bucket, CallerRateLimits.AddressOf(IPAddress.Parse(address)));
    }

    [Fact]
    public void A_missing_address_has_a_bucket_of_its_own() => Assert.Equal("unknown", CallerRateLimits.AddressOf(null));
}
