using System.Net;
using System.Text;
using System.Text.Json;
using Grid.Gateway.Auth;
using Grid.Gateway.Problems;
using Grid.Runtime.Transport;
using Grid.Gateway.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Dashboard;

/// <summary>
/// API.md "Operations": <c>GET /dashboard</c> (admin). The page, its live stream (<c>/dashboard/events</c>, server-sent
/// events) and a JSON snapshot (<c>/dashboard/snapshot</c>) take the admin key as a bearer token or the cookie set by
/// signing in (<c>POST /dashboard/login</c>, form field <c>key</c>); <c>POST /dashboard/logout</c> drops it. Without a
/// credential the page is a sign-in form (401) that shows no data. The script and styles carry no data and are public.
/// </summary>
public static class DashboardEndpoints
{
    public const string Path = "/dashboard";

    // The page loads only its own files; nothing may frame it.
    private const string ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    /// <summary>A sign-in form holds one key (an admin key is at most a few hundred characters).</summary>
    private const int MaxSignInFormBytes = 4 * 1024;

    // Immutable once built; shared by every sign-in.
    private static readonly FormOptions SignInFormOptions = new()
    {
        BufferBody = false,
        ValueCountLimit = 8,
        KeyLengthLimit = 64,
        ValueLengthLimit = MaxSignInFormBytes,
        MultipartBodyLengthLimit = MaxSignInFormBytes,
        MultipartHeadersCountLimit = 8,
        MultipartHeadersLengthLimit = 1024,
    };

    /// <summary>How long one frame may take to reach a viewer before the stream is given up.</summary>
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(Path, PageAsync).ExcludeFromDescription();
        routes.MapGet(Path + "/assets/{name}", Asset).ExcludeFromDescription();
        routes.MapPost(Path + "/login", SignInAsync).ExcludeFromDescription().DisableAntiforgery();
        routes.MapPost(Path + "/logout", SignOut).ExcludeFromDescription().DisableAntiforgery();
        routes.MapGet(Path + "/snapshot", SnapshotAsync).ExcludeFromDescription();
        routes.MapGet(Path + "/events", EventsAsync).ExcludeFromDescription();
        return routes;
    }

    /// <summary>The cluster port's <c>GET /grid/v1/dashboard</c>: this silo's reading for another silo's dashboard (cluster secret).</summary>
    public static IEndpointRouteBuilder MapDashboardReadings(this IEndpointRouteBuilder routes, int clusterPort)
    {
        routes.MapGet(RemoteSiloReader.Path, (HttpContext http, RemoteCallHandler handler, SiloReader reader) =>
            {
                if (!handler.IsAuthorized(http.Request.Headers.Authorization))
                {
                    return Results.StatusCode(StatusCodes.Status401Unauthorized);
                }

                var after = long.TryParse(http.Request.Query["after"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
                // A snapshot (feed=0) starts nothing here either: a script polling it would keep every silo's feed running.
                var keepFeed = http.Request.Query["feed"] != "0";
                return Results.Json(reader.Read(after, keepFeed), DashboardJsonContext.Default.SiloReading);
            })
            .OnlyOnClusterPort(clusterPort)
            .ExcludeFromDescription();
        return routes;
    }

    private static async Task<IResult> PageAsync(HttpContext http, DashboardAccess access, DashboardAssets assets, DashboardSessions sessions)
    {
        var (outcome, sessionEnds) = await access.CheckAsync(http);
        if (outcome != DashboardAccessOutcome.Allowed)
        {
            return Refused(http, assets, outcome, message: null);
        }

        if (sessionEnds is not null && sessions.Renew(http.Request.Cookies[DashboardAccess.CookieName]) is var (token, expiresAt))
        {
            // Signed in by cookie: each page load starts the lifetime again, within the sign-in's own bound.
            http.Response.Cookies.Append(DashboardAccess.CookieName, token, CookieOptions(http, expiresAt));
        }

        return Page(http, assets.Text("index.html"), StatusCodes.Status200OK);
    }

    private static IResult Asset(string name, HttpContext http, DashboardAssets assets)
    {
        if (assets.Find(name) is not { } file || name.EndsWith(".html", StringComparison.Ordinal))
        {
            return GridProblem.Create(StatusCodes.Status404NotFound, ProblemCodes.NotFound, "Not found", "No such dashboard file.");
        }

        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Bytes(file.Content, file.ContentType);
    }

    private static async Task<IResult> SignInAsync(HttpContext http, DashboardAccess access, AdminKeyVerifier admin, DashboardSessions sessions, DashboardAssets assets)
    {
        if (CrossSite(http) is { } refused)
        {
            return refused;
        }

        if (!access.MayTrySignIn(http))
        {
            return Refused(http, assets, DashboardAccessOutcome.Throttled, message: null);
        }

        string? key = null;
        if (http.Request.HasFormContentType)
        {
            // Anyone may post here, before any check: read no more than a sign-in form can hold.
            if (http.Request.ContentLength > MaxSignInFormBytes)
            {
                return SignInTooLarge();
            }

            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = MaxSignInFormBytes;
            }

            http.Features.Set<IFormFeature>(new FormFeature(http.Request, SignInFormOptions));
            try
            {
                var form = await http.Request.ReadFormAsync(http.RequestAborted);
                key = form["key"].ToString();
            }
            catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return SignInTooLarge();
            }
            catch (Exception unreadable) when (unreadable is InvalidDataException or BadHttpRequestException or IOException)
            {
                key = null;
            }
        }

        if (!admin.IsConfigured)
        {
            return Refused(http, assets, DashboardAccessOutcome.Unauthorized, "No admin key is configured on this silo (Grid:Auth:AdminKey), so nobody can sign in.");
        }

        if (!admin.Verify(key))
        {
            access.SignInFailed(http);
            return Refused(http, assets, DashboardAccessOutcome.Unauthorized, "That is not the admin key.");
        }

        SetCookie(http, sessions);
        return SeeOther(http);
    }

    private static IResult SignInTooLarge() =>
        GridProblem.Create(StatusCodes.Status413PayloadTooLarge, ProblemCodes.PayloadTooLarge, "Payload too large", $"A sign-in form is at most {MaxSignInFormBytes} bytes.");

    /// <summary>
    /// A sign-in or sign-out another site's page made the operator's browser send: refused before it is read. Another
    /// site could otherwise spend the address's wrong-key budget with posts of its own (locking the operator and every
    /// key user behind that address out) or sign the operator out. Browsers say where a request comes from in
    /// <c>Sec-Fetch-Site</c>; a client that sends none (curl) is not a browser another site can drive.
    /// </summary>
    private static IResult? CrossSite(HttpContext http) =>
        (http.Request.Headers["Sec-Fetch-Site"].ToString() is { Length: > 0 } site ? site is not ("same-origin" or "none") : ForeignOrigin(http))
            ? Refused()
            : null;

    private static IResult Refused() => GridProblem.Forbidden("A dashboard sign-in or sign-out must come from the dashboard's own page.");

    /// <summary>
    /// Asked only of a browser that sends no Sec-Fetch-Site (an older one): an Origin header naming another host, or
    /// <c>null</c> (an opaque origin). Such browsers still send Origin on a cross-site POST.
    /// </summary>
    private static bool ForeignOrigin(HttpContext http) =>
        http.Request.Headers.Origin.ToString() is { Length: > 0 } origin
        && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && (SameHost(uri, http.Request.Host.Value)
                // A reverse proxy that rewrites Host names the public one here; a page cannot set it on a cross-site post.
                || SameHost(uri, http.Request.Headers["X-Forwarded-Host"].ToString())));

    private static bool SameHost(Uri origin, string? host) =>
        !string.IsNullOrEmpty(host)
        && (string.Equals(origin.Authority, host, StringComparison.OrdinalIgnoreCase)
            || string.Equals(origin.Host, host, StringComparison.OrdinalIgnoreCase)); // a default port left out on one side

    private static IResult SignOut(HttpContext http)
    {
        if (CrossSite(http) is { } refused)
        {
            return refused;
        }

        http.Response.Cookies.Delete(DashboardAccess.CookieName, CookieOptions(http, expires: null));
        return SeeOther(http);
    }

    private static async Task<IResult> SnapshotAsync(HttpContext http, DashboardAccess access, DashboardSampler sampler)
    {
        var (outcome, _) = await access.CheckAsync(http);
        if (outcome != DashboardAccessOutcome.Allowed)
        {
            return Problem(http, outcome);
        }

        http.Response.Headers.CacheControl = "no-store";
        return Results.Json(await sampler.SnapshotAsync(http.RequestAborted), DashboardJsonContext.Default.DashboardSnapshot);
    }

    private static async Task EventsAsync(HttpContext http, DashboardAccess access, DashboardSampler sampler, IHostApplicationLifetime lifetime, TimeProvider time)
    {
        var (outcome, sessionEnds) = await access.CheckAsync(http);
        if (outcome != DashboardAccessOutcome.Allowed)
        {
            await Problem(http, outcome).ExecuteAsync(http);
            return;
        }

        using var viewer = sampler.Join();
        if (viewer is null)
        {
            await GridProblem.Unavailable("Too many dashboards are open on this silo (Grid:Dashboard:MaxViewers); close one or open another silo's.").ExecuteAsync(http);
            return;
        }

        // The stream ends with the request, the silo's shutdown, or the sign-in's lifetime (the page then asks for the key).
        var left = sessionEnds is { } ends ? ends - time.GetUtcNow() : Timeout.InfiniteTimeSpan;
        using var sessionEnd = new CancellationTokenSource(left > TimeSpan.Zero || left == Timeout.InfiniteTimeSpan ? left : TimeSpan.Zero, time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping, sessionEnd.Token);

        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            var history = JsonSerializer.Serialize(sampler.History(), DashboardJsonContext.Default.IReadOnlyListDashboardFrame);
            if (!await WriteEventAsync(response, "history", history, stop.Token))
            {
                return;
            }

            await foreach (var frame in viewer.Frames.ReadAllAsync(stop.Token))
            {
                if (!await WriteEventAsync(response, "frame", frame, stop.Token))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // the viewer left, the silo stops, or the session ended
        }
    }

    /// <summary>Writes one event; false when the viewer stopped reading for <see cref="WriteTimeout"/> (the stream then ends quietly, not as a 500).</summary>
    private static async Task<bool> WriteEventAsync(HttpResponse response, string name, string json, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(WriteTimeout);
        try
        {
            await response.WriteAsync($"event: {name}\ndata: {json}\n\n", timeout.Token);
            await response.Body.FlushAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The page's answer to a refusal: the sign-in form (401, 429) or a short explanation (403); never data.</summary>
    private static IResult Refused(HttpContext http, DashboardAssets assets, DashboardAccessOutcome outcome, string? message)
    {
        var (status, text) = outcome switch
        {
            DashboardAccessOutcome.Forbidden => (StatusCodes.Status403Forbidden, "This key or token belongs to an account; the dashboard takes the operator's admin key."),
            DashboardAccessOutcome.Throttled => (StatusCodes.Status429TooManyRequests, "Too many wrong keys came from this address; wait a moment and try again."),
            _ => (StatusCodes.Status401Unauthorized, message),
        };
        if (status == StatusCodes.Status429TooManyRequests)
        {
            http.Response.Headers.RetryAfter = "1";
        }

        var html = assets.Text("signin.html");
        if (text is not null)
        {
            html = html.Replace("<!--message-->", $"<p class=\"message\" role=\"alert\">{WebUtility.HtmlEncode(text)}</p>", StringComparison.Ordinal);
        }

        return Page(http, html, status);
    }

    private static IResult Page(HttpContext http, string html, int status)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private static IResult Problem(HttpContext http, DashboardAccessOutcome outcome) => outcome switch
    {
        DashboardAccessOutcome.Forbidden => GridProblem.Forbidden("The dashboard takes the operator's admin key, not an account key or token."),
        DashboardAccessOutcome.Throttled => GridProblem.RateLimited(http, 1, "Too many wrong keys came from this address; retry after 1 s."),
        _ => GridProblem.Unauthorized("The dashboard takes the admin key as a bearer token, or the cookie set by signing in at /dashboard."),
    };

    private static void SetCookie(HttpContext http, DashboardSessions sessions)
    {
        var (token, expiresAt) = sessions.Issue();
        http.Response.Cookies.Append(DashboardAccess.CookieName, token, CookieOptions(http, expiresAt));
    }

    private static CookieOptions CookieOptions(HttpContext http, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Path = Path,
        Secure = http.Request.IsHttps,
        IsEssential = true,
        Expires = expires,
    };

    private static IResult SeeOther(HttpContext http)
    {
        http.Response.Headers.Location = Path;
        http.Response.Headers.CacheControl = "no-store";
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }
}
