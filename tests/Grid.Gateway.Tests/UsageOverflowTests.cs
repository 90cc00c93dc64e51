using System.Globalization;
using System.Net;
using Grid.Gateway.Tests.Support;
using Grid.Ledger.Persistence;
using Grid.Storage.Stores;

namespace Grid.Gateway.Tests;

/// <summary>
/// A usage summary whose units add up past what a long holds (sessions count up to 10^15 units each) is a 400 naming
/// the range to shorten, never a 500; a range whose sums fit still answers.
/// </summary>
public sealed class UsageOverflowTests(LedgerSiloFixture fixture) : IClassFixture<LedgerSiloFixture>
{
    private const long Half = (long.MaxValue / 2) + 1;

    [Fact]
    public async Task A_summary_past_the_largest_long_is_400_naming_from_and_a_shorter_range_answers()
    {
        var account = await fixture.Api.CreateAccountAsync();
        var today = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        var usage = new SqlUsageStore(fixture.Database);
        await usage.RecordAsync(new UsageRecord("session", $"{account}-a", account, "llm", Half, null, 1, "completed", today.AddDays(-2).AddHours(1)), CancellationToken.None);
        await usage.RecordAsync(new UsageRecord("session", $"{account}-b", account, "llm", Half, null, 1, "completed", today.AddDays(-1).AddHours(1)), CancellationToken.None);

        foreach (var query in new[] { "groupBy=kind", "groupBy=day", "groupBy=day&format=csv" })
        {
            var refused = await fixture.Api.GetAsync($"/v1/accounts/{account}/usage?{query}");
            Assert.True(refused.Status == HttpStatusCode.BadRequest && refused.Code == "validation_failed", refused.ToString());
            Assert.True(refused.Json.GetProperty("errors").TryGetProperty("from", out _), refused.ToString());
        }

        var oneDay = await fixture.Api.GetAsync(
            $"/v1/accounts/{account}/usage?groupBy=kind&from={Day(today.AddDays(-1))}&to={Day(today)}");
        Assert.Equal(HttpStatusCode.OK, oneDay.Status);
        Assert.Equal(Half, oneDay.Json.GetProperty("total").GetProperty("units").GetInt64());
    }

    private static string Day(DateTimeOffset day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
