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

    /// <summary>
    /// Of <see cref="MaxStreams"/>, how many end users' guest or wallet tokens may hold open; the next such stream is 503.
    /// The rest stay for account keys and the operator, whom free wallet sign-ins could otherwise shut out. Unset: four
    /// fifths of <see cref="MaxStreams"/> (8,000 by default).
    /// </summary>
    public int? MaxEndUserStreams { get; set; }

    /// <summary><see cref="MaxEndUserStreams"/>, or its default.</summary>
    public int EndUserStreamLimit => MaxEndUserStreams ?? Math.Max(1, (int)(MaxStreams * 4L / 5));

    /// <summary>
    /// Streams end users' tokens may hold open from one client address (an IPv6 address by its /64); the next is 429.
    /// Generous, as many users may share one address behind a carrier's NAT.
    /// </summary>
    public int MaxPerEndUserAddress { get; set; } = 256;

    public void Validate()
    {
        if (HeartbeatPeriod <= TimeSpan.Zero || PollPeriod <= TimeSpan.Zero || WriteTimeout <= TimeSpan.Zero || WakeBuffer < 1
            || MaxPerAccount < 1 || MaxStreams < 1 || MaxEndUserStreams < 1 || MaxPerEndUserAddress < 1)
        {
            throw new OptionsValidationException(SectionName, typeof(StreamOptions),
                ["Grid:Streams: HeartbeatPeriod, PollPeriod and WriteTimeout must be positive, and WakeBuffer, MaxPerAccount, MaxStreams, MaxEndUserStreams and MaxPerEndUserAddress at least 1."]);
        }

        if (MaxEndUserStreams > MaxStreams)
        {
            throw new OptionsValidationException(SectionName, typeof(StreamOptions),
                ["Grid:Streams:MaxEndUserStreams must not exceed MaxStreams (it is the end users' share of them)."]);
        }
    }
}
