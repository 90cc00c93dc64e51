using System.Net;
using System.Text.Json;
using Grid.Gateway.Tests.Chain;

namespace Grid.Gateway.Tests.Dashboard;

/// <summary>The dashboard's chain watchers on a real Anvil chain: head, cursor and lag as the watcher reports them, following new blocks.</summary>
public sealed class DashboardChainTests(ChainSiloFixture fixture) : IClassFixture<ChainSiloFixture>
{
    [Fact]
    public async Task The_watcher_reports_head_cursor_and_lag_and_follows_new_blocks()
    {
        var first = await ChainAsync(c => c.GetProperty("reportedAt").ValueKind != JsonValueKind.Null && c.GetProperty("cursor").ValueKind != JsonValueKind.Null);
        Assert.False(first.GetProperty("failing").GetBoolean());
        var head = first.GetProperty("head").GetUInt64();

        await fixture.Chain.Client.MineAsync(5, CancellationToken.None);

        var later = await ChainAsync(c => c.GetProperty("head").GetUInt64() >= head + 5 && c.GetProperty("lag").ValueKind == JsonValueKind.Number
            && c.GetProperty("lag").GetUInt64() == c.GetProperty("head").GetUInt64() - c.GetProperty("cursor").GetUInt64());
        Assert.True(later.GetProperty("cursor").GetUInt64() >= head, "the cursor moved on with the chain");
        Assert.True(later.GetProperty("pending").GetInt64() >= 0);
        var metrics = await fixture.Silo.Http.GetStringAsync("/metrics");
        Assert.Contains($"grid_chain_head{{chain_id=\"{ChainSiloFixture.ChainId}\"}}", metrics, StringComparison.Ordinal);
    }

    /// <summary>The configured chain's row, once it satisfies <paramref name="condition"/>.</summary>
    private async Task<JsonElement> ChainAsync(Func<JsonElement, bool> condition)
    {
        JsonElement row = default;
        await Eventually.TrueAsync(async () =>
        {
            var answer = await fixture.Api.GetAsync("/dashboard/snapshot");
            Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
            row = answer.Json.GetProperty("current").GetProperty("chains").EnumerateArray().Single(c => c.GetProperty("chainId").GetInt64() == ChainSiloFixture.ChainId);
            return condition(row);
        }, "the dashboard shows the watcher's report", TimeSpan.FromSeconds(15));
        return row;
    }
}
