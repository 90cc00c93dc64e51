using System.Globalization;
using Grid.Contracts.Casts;
using Grid.Grains.Casts;
using Xunit;

namespace Grid.Grains.Tests.Casts;

/// <summary>The fingerprints a cast keeps of its requests: one per request as sent, and the field named when two differ.</summary>
public sealed class CastRequestsTests
{
    [Theory]
    [InlineData("1.50", "1.5")]
    [InlineData("0.00000010", "0.0000001")]
    [InlineData("100.000", "100")]
    [InlineData("7.0000000000000000000000000001", "7.0000000000000000000000000001")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    public void A_provider_cost_is_kept_by_value_in_plain_digits(string sent, string kept)
    {
        var cost = decimal.Parse(sent, CultureInfo.InvariantCulture);
        Assert.Equal($"complete||{kept}", CastRequests.Complete(new CastCompletion("done", null, cost, 2m)));
        Assert.Equal(cost, CastRequests.Normalized(cost));
    }

    [Fact]
    public void The_first_field_that_differs_is_named()
    {
        var start = new CastStart("c", "acct", 30, 20, "upscale", TimeSpan.FromMinutes(10), CastStartDefaults.BufferPercent);
        var known = CastRequests.Start(start);
        Assert.Equal("acct|30|*|upscale|600", known);
        Assert.Equal("accountId", CastRequests.DifferingStartField(known, CastRequests.Start(start with { AccountId = "other" })));
        Assert.Equal("bufferPercent", CastRequests.DifferingStartField(known, CastRequests.Start(start with { Defaulted = CastStartDefaults.None })));
        Assert.Equal("timeoutSeconds", CastRequests.DifferingStartField(known, CastRequests.Start(start with { Timeout = TimeSpan.FromMinutes(1) })));
        // Another buffer the silo filled in is the same request.
        Assert.Equal(known, CastRequests.Start(start with { BufferPercent = 25 }));

        var failed = CastRequests.Fail(new CastFailure("end", "timed | out"));
        Assert.Equal("reason", CastRequests.DifferingEndField(failed, CastRequests.Fail(new CastFailure("end", "timed | out again"))));
        Assert.Equal("operationId", CastRequests.DifferingEndField(failed, CastRequests.Complete(new CastCompletion("end", 5, null, 2m))));
        Assert.Equal("price", CastRequests.DifferingEndField(
            CastRequests.Complete(new CastCompletion("end", 5, null, 2m)), CastRequests.Complete(new CastCompletion("end", 6, null, 2m))));
    }
}
