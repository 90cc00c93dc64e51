using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests.Dashboard;

/// <summary>
/// What the dashboard shows comes from the silo's own counters and journal, live: calls the test makes appear in the
/// snapshot and in the stream, and the sampler behind the stream runs only while a stream is open.
/// </summary>
public sealed class DashboardDataTests(DashboardSiloFixture fixture) : IClassFixture<DashboardSiloFixture>
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(DashboardSiloFixture.SampleIntervalMs);

    private HttpClient Http => fixture.Silo.Http;

    [Fact]
    public async Task The_snapshot_counts_the_calls_activations_and_journal_appends_the_test_made()
    {
        var before = (await SnapshotAsync()).GetProperty("current");
        var account = await fixture.Api.CreateAccountAsync();
        for (var i = 0; i < 5; i++)
        {
            await fixture.Api.DepositAsync(account, $"dash-snap-{i}", 100);
        }

        var after = (await SnapshotAsync()).GetProperty("current");

        Assert.True(AccountCalls(after) - AccountCalls(before) >= 6, $"account calls {AccountCalls(before)} -> {AccountCalls(after)}");
        Assert.True(after.GetProperty("activationsByType").GetProperty("account").GetInt64() >= 1);
        Assert.True(after.GetProperty("journal").GetProperty("appends").GetInt64() - before.GetProperty("journal").GetProperty("appends").GetInt64() >= 6);
        var silo = Assert.Single(after.GetProperty("silos").EnumerateArray());
        Assert.Equal("active", silo.GetProperty("status").GetString());
        Assert.True(silo.GetProperty("self").GetBoolean());
        Assert.True(silo.GetProperty("memoryBytes").GetInt64() > 0);
        Assert.True(silo.GetProperty("activations").GetInt64() >= 1);
    }

    [Fact]
    public async Task The_stream_shows_new_calls_and_journal_entries_within_two_seconds()
    {
        var account = await fixture.Api.CreateAccountAsync();
        await using var events = await DashboardEvents.OpenAsync(Http, DashboardSiloFixture.AdminKey);
        var (first, history) = await events.NextAsync();
        Assert.Equal("history", first);
        Assert.Equal(JsonValueKind.Array, history.ValueKind);
        var start = await events.FrameWhereAsync(_ => true, TimeSpan.FromSeconds(10)); // the first frame: not what is timed
        Assert.True(start.GetProperty("sampler").GetProperty("running").GetBoolean());

        await fixture.Api.DepositAsync(account, "dash-live-1", 4242);

        var (seen, entry, latency) = await events.FrameWithEntryAsync(account, 4242);
        Assert.True(latency < TimeSpan.FromSeconds(2), $"the entry reached the stream {latency} after it was made");
        Assert.True(AccountCalls(seen) > AccountCalls(start));
        Assert.Equal("deposit", entry.GetProperty("kind").GetString());
        Assert.Equal(4242, entry.GetProperty("availableAfter").GetInt64());
    }

    [Fact]
    public async Task No_sampler_runs_while_nobody_watches_and_it_stops_when_the_last_stream_closes()
    {
        await NobodyWatchesAsync();
        var idle = await SamplerAsync();
        Assert.False(idle.GetProperty("running").GetBoolean());
        await Task.Delay(Interval * 5);
        var stillIdle = await SamplerAsync();
        Assert.False(stillIdle.GetProperty("running").GetBoolean());
        Assert.Equal(idle.GetProperty("ticks").GetInt64(), stillIdle.GetProperty("ticks").GetInt64());

        await using (var events = await DashboardEvents.OpenAsync(Http, DashboardSiloFixture.AdminKey))
        {
            await events.FrameWhereAsync(f => f.GetProperty("sampler").GetProperty("ticks").GetInt64() >= idle.GetProperty("ticks").GetInt64() + 3, TimeSpan.FromSeconds(3));
            var watching = await SamplerAsync();
            Assert.True(watching.GetProperty("running").GetBoolean());
            Assert.Equal(1, watching.GetProperty("viewers").GetInt32());
        }

        await NobodyWatchesAsync();
        var stopped = await SamplerAsync();
        Assert.Equal(0, stopped.GetProperty("viewers").GetInt32());
        await Task.Delay(Interval * 5);
        Assert.Equal(stopped.GetProperty("ticks").GetInt64(), (await SamplerAsync()).GetProperty("ticks").GetInt64());
        // Nothing was kept from the stretch that ended.
        Assert.Equal(0, (await SnapshotAsync()).GetProperty("history").GetArrayLength());
    }

    [Fact]
    public async Task Dashboards_beyond_the_limit_are_refused_503()
    {
        await NobodyWatchesAsync();
        var open = new List<DashboardEvents>();
        try
        {
            for (var i = 0; i < DashboardSiloFixture.MaxViewers; i++)
            {
                open.Add(await DashboardEvents.OpenAsync(Http, DashboardSiloFixture.AdminKey));
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/events");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", DashboardSiloFixture.AdminKey);
            using var refused = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var answer = await ApiResponse.ReadAsync(refused);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
            Assert.Equal("unavailable", answer.Code);
        }
        finally
        {
            foreach (var events in open)
            {
                await events.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Webhook_deliveries_are_counted_by_type_and_outcome()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/webhooks/stripe")
        {
            Content = new StringContent("{\"id\":\"evt_1\",\"type\":\"checkout.session.completed\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", "t=1,v1=00");
        using var refused = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var webhooks = (await SnapshotAsync()).GetProperty("current").GetProperty("webhooks").EnumerateArray().ToArray();

        var row = Assert.Single(webhooks, w => w.GetProperty("outcome").GetString() == "invalid_signature");
        Assert.Equal("stripe", row.GetProperty("provider").GetString());
        Assert.Equal("unverified", row.GetProperty("type").GetString());
        Assert.True(row.GetProperty("count").GetInt64() >= 1);
    }

    private static long AccountCalls(JsonElement frame) =>
        frame.GetProperty("methods").EnumerateArray()
            .Where(m => m.GetProperty("grain").GetString() == "account")
            .Sum(m => m.GetProperty("calls").GetInt64());

    /// <summary>Waits until the streams of earlier tests are closed on the silo's side too (it notices a gone client shortly).</summary>
    private Task NobodyWatchesAsync() =>
        Eventually.TrueAsync(async () => (await SamplerAsync()) is var s && !s.GetProperty("running").GetBoolean() && s.GetProperty("viewers").GetInt32() == 0,
            "no dashboard stream is open and the sampler stopped", TimeSpan.FromSeconds(5));

    private async Task<JsonElement> SamplerAsync() => (await SnapshotAsync()).GetProperty("current").GetProperty("sampler");

    private async Task<JsonElement> SnapshotAsync()
    {
        var answer = await fixture.Api.GetAsync("/dashboard/snapshot");
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        return answer.Json;
    }
}
