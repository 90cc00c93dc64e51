using System.Globalization;
using Grid.Contracts.Accounts;
using Grid.Gateway.Accounts;
using Grid.Gateway.Auth;
using Grid.Gateway.Problems;
using Grid.Gateway.RateLimiting;
using Grid.Ledger.Errors;
using Grid.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Streams;

/// <summary>
/// <c>GET /v1/accounts/{id}/stream</c>: the account's journal as server-sent events, caught up from the journal
/// itself, so a subscriber resuming with <c>Last-Event-ID</c> (or <c>?after=</c>) gets every entry after it, in
/// order, once, also across silo restarts; then fed by the account's broadcast on this silo (see
/// <see cref="JournalEventStream"/>). A subscriber that does not keep up is let go by the broadcast and cut off
/// when its socket stays full; the account never waits for it.
/// </summary>
internal static class StreamEndpoints
{
    public static void MapStreamEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapGroup("/v1/accounts").RequireAccess()
            .MapGet("/{id}/stream", StreamAsync)
            .RequireScope(ApiScope.Read)
            .WithName("StreamJournal")
            .WithSummary("The journal as server-sent events (id = sequence); Last-Event-ID or ?after= resumes.");

    private static async Task StreamAsync(
        string id,
        HttpContext http,
        IGrainFactory grains,
        StreamBroadcasts broadcasts,
        StreamSlots slots,
        JournalAnnouncements announcements,
        StreamFrames frames,
        CallerResolver resolver,
        IOptions<StreamOptions> options,
        IHostApplicationLifetime lifetime,
        TimeProvider time,
        ILoggerFactory loggers)
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

        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Opened while the silo stops: a 200 that ends at once would have its subscriber come back at once, again and
            // again, until the silo is gone.
            await GridProblem.Unavailable("This silo is stopping; open the stream on another silo.").ExecuteAsync(http);
            return;
        }

        var endUser = (await resolver.ResolveAsync(http)).Caller is { IsEndUser: true };
        using var slot = slots.TryTake(id, endUser ? CallerRateLimits.AddressOf(http.Connection.RemoteIpAddress) : null, out var reached);
        if (slot is null)
        {
            var retryAfter = (long)Math.Ceiling(settings.HeartbeatPeriod.TotalSeconds);
            var full = reached switch
            {
                StreamBound.Silo => GridProblem.Unavailable($"This silo holds its {settings.MaxStreams} streams open; try again later or on another silo."),
                StreamBound.EndUsers => GridProblem.Unavailable($"This silo holds the {settings.EndUserStreamLimit} streams it keeps for guest and wallet tokens open; try again later or on another silo."),
                StreamBound.Address => GridProblem.RateLimited(http, retryAfter, $"Guest and wallet tokens hold {settings.MaxPerEndUserAddress} streams open from this address on this silo; close one first."),
                _ => GridProblem.RateLimited(http, retryAfter, $"Account {id} has its {settings.MaxPerAccount} streams open on this silo; close one first."),
            };
            await full.ExecuteAsync(http);
            return;
        }

        // Subscribed before the first read, so nothing announced in between goes unnoticed.
        using var announced = announcements.Subscribe(id);
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        // The credential is checked again at every heartbeat: a revoked key or an expired token ends the stream.
        // Ended when the silo stops too: a stream lives until its subscriber leaves, and the host would otherwise wait its
        // whole shutdown timeout for it, then stop the grains with no time left to deactivate them.
        using var streamEnd = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var stream = new JournalEventStream(
            http, account, broadcasts, announced, frames, settings, time, after,
            async () => await resolver.RecheckAsync(http) is { } caller && caller.May(id, ApiScope.Read), streamEnd.Token);
        try
        {
            await stream.RunAsync();
        }
        catch (OperationCanceledException) when (streamEnd.IsCancellationRequested)
        {
            // The subscriber went away, or the silo stops: it resumes with Last-Event-ID.
        }
        catch (StreamWriteTimeoutException)
        {
            // Its socket stayed full: cut the connection (a graceful end would wait on the same full socket).
            http.Abort();
        }
        catch (Exception ended) when (ended is not OutOfMemoryException)
        {
            // The events have started: no problem answer is possible any more. End the stream; the subscriber
            // resumes with Last-Event-ID (a busy or unreachable account, a failed write, a storage error).
            loggers.CreateLogger(typeof(JournalEventStream)).LogInformation("Stream of account {AccountId} ended: {Reason}", id, ended.GetType().Name);
        }
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
