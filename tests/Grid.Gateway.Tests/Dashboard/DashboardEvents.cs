using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Grid.Gateway.Tests.Dashboard;

/// <summary>An open <c>GET /dashboard/events</c> stream, read event by event (name and JSON data).</summary>
public sealed class DashboardEvents : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private DashboardEvents(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    /// <summary>Opens the stream with the given bearer token and/or cookie; asserts it opened as an event stream.</summary>
    public static async Task<DashboardEvents> OpenAsync(HttpClient http, string? bearer, string? cookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/events");
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            var refusal = await response.Content.ReadAsStringAsync();
            response.Dispose();
            Assert.Fail($"The dashboard stream was refused: {(int)response.StatusCode} {refusal}");
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new DashboardEvents(response, new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8));
    }

    /// <summary>The next event, or a timeout failure.</summary>
    public async Task<(string Name, JsonElement Data)> NextAsync(TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(5));
        string? name = null;
        var data = new StringBuilder();
        while (true)
        {
            var line = await _reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException("The dashboard stream ended.");
            if (line.Length == 0 && name is not null)
            {
                return (name, JsonDocument.Parse(data.ToString()).RootElement.Clone());
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line["data: ".Length..]);
            }
        }
    }

    /// <summary>Reads frames until one satisfies <paramref name="condition"/>; fails when none does within the time.</summary>
    public async Task<JsonElement> FrameWhereAsync(Func<JsonElement, bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero, "No dashboard frame showed the change in time.");
            var (name, data) = await NextAsync(left);
            if (name == "frame" && condition(data))
            {
                return data;
            }
        }
    }

    /// <summary>
    /// The first frame whose feed carries <paramref name="accountId"/>'s entry of <paramref name="amount"/>, and how long
    /// after the entry was made that frame was sampled. Both times are the silos' own: the dashboard's latency, which a
    /// test process a loaded machine schedules late cannot stretch. The wait itself is generous for the same reason, yet
    /// bounded: a stream that held frames back (no flush, a backlog) fails it.
    /// </summary>
    public async Task<(JsonElement Frame, JsonElement Entry, TimeSpan Latency)> FrameWithEntryAsync(string accountId, long amount)
    {
        static bool Matches(JsonElement entry, string accountId, long amount) =>
            entry.GetProperty("accountId").GetString() == accountId && entry.GetProperty("amount").GetInt64() == amount;

        var frame = await FrameWhereAsync(f => f.GetProperty("feed").EnumerateArray().Any(e => Matches(e, accountId, amount)), TimeSpan.FromSeconds(10));
        var entry = frame.GetProperty("feed").EnumerateArray().First(e => Matches(e, accountId, amount));
        return (frame, entry, frame.GetProperty("at").GetDateTimeOffset() - entry.GetProperty("at").GetDateTimeOffset());
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
