using System.Buffers;
using System.IO.Pipelines;
using Grid.Contracts.Accounts;
using Grid.Ledger.Journal;
using Grid.Runtime;
using Grid.Storage;
using Microsoft.AspNetCore.Http;

namespace Grid.Gateway.Streams;

/// <summary>
/// One subscriber's server-sent event stream of an account's journal. It catches up from the journal, then
/// joins the account's <see cref="AccountBroadcast"/>, which writes each append made on this silo straight into
/// the response. It takes the response back to catch up again after a gap or a flush that did not finish at once,
/// to write a heartbeat, when another silo announces an append, and when the account has been quiet here for a
/// poll period. Every write of its own must finish within the write timeout, or the subscriber is cut off.
/// </summary>
internal sealed class JournalEventStream(
    HttpContext http, IAccountGrain account, StreamBroadcasts broadcasts, JournalSubscription? announced, StreamFrames frames,
    StreamOptions settings, TimeProvider time, long after, Func<Task<bool>> stillAllowed, CancellationToken ended)
{
    private const int Page = 1_000;

    private static ReadOnlySpan<byte> HeartbeatFrame => ": heartbeat\n\n"u8;

    /// <summary>The subscriber went away, or the silo is stopping (its subscribers resume elsewhere with Last-Event-ID).</summary>
    private CancellationToken Aborted => ended;

    /// <summary>Streams until the subscriber goes away, falls behind, or stops taking what is written, or the silo stops.</summary>
    public async Task RunAsync()
    {
        var writer = http.Response.BodyWriter;
        await writer.FlushAsync(Aborted);
        var member = new StreamMember(writer, frames);
        using var membership = broadcasts.Join(account.GetGrainId(), member);
        try
        {
            await StreamAsync(writer, member);
        }
        finally
        {
            member.Leave(); // the broadcast must never write into a response that has ended
        }
    }

    private async Task StreamAsync(PipeWriter writer, StreamMember member)
    {
        var tickPeriod = settings.PollPeriod < settings.HeartbeatPeriod ? settings.PollPeriod : settings.HeartbeatPeriod;
        var tick = Task.Delay(tickPeriod, time, Aborted);
        var nextHeartbeat = time.GetUtcNow() + settings.HeartbeatPeriod;
        var deliveredAtTick = 0L;
        var grain = account.GetGrainId();
        var publishesHere = broadcasts.IsLocal(grain);
        Task? announcedWait = null;
        var catchUp = true;
        var heartbeat = false;
        var rejoin = false;
        while (!Aborted.IsCancellationRequested)
        {
            if (catchUp || heartbeat || rejoin)
            {
                // Due by the clock here too: on a busy account a stream can keep catching up or rejoining without ever
                // reaching a tick, and the heartbeat is where a revoked key or an expired token is noticed.
                var now = time.GetUtcNow();
                if (!heartbeat && now >= nextHeartbeat)
                {
                    heartbeat = true;
                    nextHeartbeat = now + settings.HeartbeatPeriod;
                }

                var (pending, written) = member.Leave();
                after = Math.Max(after, written);
                if (pending is not null)
                {
                    await WithinWriteTimeoutAsync(pending);
                }

                if (heartbeat)
                {
                    if (!await stillAllowed())
                    {
                        return; // the key was revoked or the token expired since the stream opened
                    }

                    writer.Write(HeartbeatFrame);
                    await FlushAsync(writer);
                }

                heartbeat = rejoin = false;
                if (catchUp && !await CatchUpFromJournalAsync(writer, nextHeartbeat))
                {
                    // Appends outran the subscriber for a whole heartbeat period: the heartbeat (and its check of the
                    // credential) goes first, then the catch-up goes on from where it stopped.
                    continue;
                }

                // Only an append that went by unwritten (or a gap) needs the journal; a slow flush just needs finishing.
                catchUp = !member.TryJoin(after);
                if (catchUp)
                {
                    continue;
                }
            }

            // While the account lives or publishes here, the broadcast brings all there is: announcements of the
            // same appends would only wake every stream a second time (and could overtake the broadcast).
            announcedWait ??= publishesHere ? null : announced?.WaitAsync(member.After, Aborted);
            var attention = member.Attention;
            var first = announcedWait is null ? await Task.WhenAny(attention, tick) : await Task.WhenAny(attention, tick, announcedWait);
            await first; // the subscriber's cancellation surfaces here
            publishesHere |= member.Delivered != deliveredAtTick;
            if (first == attention)
            {
                rejoin = true;
            }
            else if (first == announcedWait)
            {
                announcedWait = null;
                // Read, even if the wait started before the stream moved on and may be stale: asking again would take the
                // listener's one resync signal (it reconnected: announcements may be lost) and drop it.
                catchUp = true;
            }
            else
            {
                tick = Task.Delay(tickPeriod, time, Aborted);
                var delivered = member.Delivered;
                catchUp = delivered == deliveredAtTick; // quiet here for a whole period: look, in case it was written elsewhere
                publishesHere = !catchUp || broadcasts.IsLocal(grain);
                deliveredAtTick = delivered;
                // Heartbeats keep to their own schedule; half a tick of slack stops a late tick from skipping one.
                var now = time.GetUtcNow();
                if (now + (tickPeriod / 2) >= nextHeartbeat)
                {
                    heartbeat = true;
                    nextHeartbeat = nextHeartbeat + settings.HeartbeatPeriod > now ? nextHeartbeat + settings.HeartbeatPeriod : now + settings.HeartbeatPeriod;
                }
            }
        }
    }

    /// <summary>Writes the journal after the cursor; false when it stopped at <paramref name="heartbeatDue"/> with more to read.</summary>
    private async Task<bool> CatchUpFromJournalAsync(PipeWriter writer, DateTimeOffset heartbeatDue)
    {
        while (true)
        {
            var page = await account.GetJournal(after, Page);
            if (page.Entries.Count > 0)
            {
                foreach (var entry in page.Entries)
                {
                    writer.Write(frames.Of(entry).Span);
                }

                after = page.Entries[^1].Sequence;
                await FlushAsync(writer);
            }

            if (page.Next is null)
            {
                return true;
            }

            if (time.GetUtcNow() >= heartbeatDue)
            {
                return false;
            }
        }
    }

    private Task FlushAsync(PipeWriter writer) => WithinWriteTimeoutAsync(writer.FlushAsync(Aborted).AsTask());

    /// <summary>Waits for a write to be taken within the write timeout, or throws <see cref="StreamWriteTimeoutException"/>.</summary>
    private async Task WithinWriteTimeoutAsync(Task write)
    {
        try
        {
            await write.WaitAsync(settings.WriteTimeout, time, Aborted);
        }
        catch (TimeoutException)
        {
            throw new StreamWriteTimeoutException();
        }
    }
}
