using Microsoft.Extensions.Options;

namespace Grid.Gateway.Streams;

/// <summary>Balance stream settings (configuration section Grid:Streams).</summary>
public sealed class StreamOptions
{
    public const string SectionName = "Grid:Streams";

    /// <summary>A comment line this often keeps proxies from closing an idle stream (API.md: 15 s).</summary>
    public TimeSpan HeartbeatPeriod { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Without announcements, a stream whose account lives on another silo looks this often.</summary>
    public TimeSpan PollPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How many appends of the account may wait to wake one stream. A stream that falls this far behind is
    /// disconnected (it resumes with Last-Event-ID). The account never waits for it.
    /// </summary>
    public int WakeBuffer { get; set; } = 1_024;

    /// <summary>
    /// A subscriber that takes longer than this to accept one page of events (its socket full: it stopped
    /// reading, or reads too slowly) is disconnected, so a stalled client does not hold a page and a
    /// connection for ever.
    /// </summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Streams one account may have open on this silo; the next is 429 until one closes.</summary>
    public int MaxPerAccount { get; set; } = 32;

    /// <summary>Streams this silo holds open in all; the next is 503 until one closes.</summary>
    public int MaxStreams { get; set; } = 10_000;

    public void Validate()
    {
        if (HeartbeatPeriod <= TimeSpan.Zero || PollPeriod <= TimeSpan.Zero || WriteTimeout <= TimeSpan.Zero || WakeBuffer < 1
            || MaxPerAccount < 1 || MaxStreams < 1)
        {
            throw new OptionsValidationException(SectionName, typeof(StreamOptions),
                ["Grid:Streams: HeartbeatPeriod, PollPeriod and WriteTimeout must be positive, and WakeBuffer, MaxPerAccount and MaxStreams at least 1."]);
        }
    }
}
