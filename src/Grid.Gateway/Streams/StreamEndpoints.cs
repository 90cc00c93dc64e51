using System.Globalization;
using System.Text;
using System.Text.Json;
using Grid.Contracts.Accounts;
using Grid.Gateway.Accounts;
using Grid.Gateway.Auth;
using Grid.Gateway.Hosting;
using Grid.Ledger.Errors;
using Grid.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Streams;

/// <summary>
/// <c>GET /v1/accounts/{id}/stream</c>: the account's journal as server-sent events, read from the journal
/// itself, so a subscriber resuming with <c>Last-Event-ID</c> (or <c>?after=</c>) gets every entry after it,
/// in order, once, also across silo restarts. New entries wake the stream by the account's events on this
/// silo, PostgreSQL announcements from other silos, or at worst a poll. A subscriber that does not keep up
/// falls behind the bounded event buffer and is disconnected; the account never waits for it.
/// </summary>
internal static class StreamEndpoints
{
    private const int Page = 1_000;

    public static void MapStreamEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapGroup("/v1/accounts").RequireAccess()
            .MapGet("/{id}/stream", StreamAsync)
            .RequireScope(ApiScope.Read)
            .WithName("StreamJournal")
            .WithSummary("The journal as server-sent events (id = sequence); Last-Event-ID or ?after= resumes.");

    private static async Task StreamAsync(string id, HttpContext http, IGrainFactory grains, IGrainEvents events, JournalAnnouncements announcements, IOptions<StreamOptions> options, TimeProvider time)
    {
        var query = new RequestBody(default);
        var after = ResumeFrom(http.Request, query);
        if (!query.IsValid)
        {
            await LedgerProblems.Validation(query.Errors).ExecuteAsync(http);
            return;
        }

        var settings = options.Value;
        var account = grains.GetGrain<IAccountGrain>(id);
        var opened = await LedgerCalls.ReadAsync(http, grains, id, async a => await a.Get() is null
            ? LedgerProblems.From(new LedgerException(LedgerErrorCodes.NotFound, $"Account {id} does not exist.", "id"), http)
            : Results.Empty);
        if (opened != Results.Empty)
        {
            await opened.ExecuteAsync(http);
            return;
        }

        // Subscribed before the first read, so nothing written in between goes unnoticed.
        using var local = events.Subscribe<JournalAppended>(account.GetGrainId(), settings.WakeBuffer);
        using var announced = announcements.Subscribe(id);
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var aborted = http.RequestAborted;
        try
        {
            await response.Body.FlushAsync(aborted);
            var nextHeartbeat = time.GetUtcNow() + settings.HeartbeatPeriod;
            while (!aborted.IsCancellationRequested)
            {
                var page = await account.GetJournal(after, Page);
                if (page.Entries.Count > 0)
                {
                    await WriteWithinAsync(http, settings.WriteTimeout, time, async token =>
                    {
                        foreach (var entry in page.Entries)
                        {
                            await WriteEntryAsync(response, entry, token);
                        }
                    });
                    after = page.Entries[^1].Sequence;
                }

                if (page.Next is not null)
                {
                    continue;
                }

                var wait = nextHeartbeat - time.GetUtcNow();
                if (wait <= TimeSpan.Zero)
                {
                    await WriteWithinAsync(http, settings.WriteTimeout, time, token => response.WriteAsync(": heartbeat\n\n", token));
                    nextHeartbeat = time.GetUtcNow() + settings.HeartbeatPeriod;
                    continue;
                }

                await WakeAsync(local, announced, after, wait < settings.PollPeriod ? wait : settings.PollPeriod, time, aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The subscriber went away.
        }
        catch (SubscriberTooSlowException)
        {
            // It fell a whole buffer behind: disconnect; it resumes with Last-Event-ID when it is ready.
        }
        catch (StreamWriteTimeoutException)
        {
            // Its socket stayed full: cut the connection (a graceful end would wait on the same full socket).
            http.Abort();
        }
    }

    /// <summary>Writes and flushes within <paramref name="timeout"/>, or throws <see cref="StreamWriteTimeoutException"/>.</summary>
    private static async Task WriteWithinAsync(HttpContext http, TimeSpan timeout, TimeProvider time, Func<CancellationToken, Task> write)
    {
        using var expiry = new CancellationTokenSource(timeout, time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, expiry.Token);
        try
        {
            await write(bounded.Token);
            await http.Response.Body.FlushAsync(bounded.Token);
        }
        catch (OperationCanceledException) when (expiry.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
        {
            throw new StreamWriteTimeoutException();
        }
    }

    /// <summary>Waits for an event of the account here, an announcement from elsewhere, or the timeout.</summary>
    private static async Task WakeAsync(
        GrainEventSubscription<JournalAppended> local, Grid.Storage.JournalSubscription? announced, long after, TimeSpan timeout, TimeProvider time, CancellationToken aborted)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var waits = new List<Task> { Task.Delay(timeout, time, wake.Token) };
        if (local.Reader.Completion is { IsCompleted: true, IsFaulted: true } failed)
        {
            await failed; // fell a buffer behind: surfaces SubscriberTooSlowException
        }

        if (!local.Reader.Completion.IsCompleted)
        {
            waits.Add(local.Reader.WaitToReadAsync(wake.Token).AsTask()); // a finished subscription would wake at once, forever
        }

        if (announced is not null)
        {
            waits.Add(announced.WaitAsync(after, wake.Token));
        }

        var first = await Task.WhenAny(waits);
        await wake.CancelAsync();
        await first; // surfaces SubscriberTooSlowException, or the subscriber's cancellation
        while (local.Reader.TryRead(out _))
        {
            // Events only wake the stream; the journal says what is new.
        }
    }

    private static async Task WriteEntryAsync(HttpResponse response, Grid.Ledger.Journal.JournalEntry entry, CancellationToken aborted)
    {
        var data = JsonSerializer.Serialize(EntryResponse.From(entry), GatewayJsonContext.Default.EntryResponse);
        var frame = string.Create(CultureInfo.InvariantCulture, $"id: {entry.Sequence}\nevent: entry\ndata: {data}\n\n");
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(frame), aborted);
    }

    /// <summary>Last-Event-ID (a reconnecting EventSource sends it) wins over ?after=; both default to 0.</summary>
    private static long ResumeFrom(HttpRequest request, RequestBody errors)
    {
        var text = request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } header ? header : request.Query["after"].ToString();
        if (text.Length == 0)
        {
            return 0;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var after))
        {
            return after;
        }

        errors.AddError("after", "after (or Last-Event-ID) must be a journal sequence: a whole number of 0 or more.");
        return 0;
    }
}
