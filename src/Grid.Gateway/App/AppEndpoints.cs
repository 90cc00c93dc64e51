using Grid.Gateway.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grid.Gateway.App;

/// <summary>
/// <c>/app</c>: the credits page a product embeds, built on the JavaScript client (served from the same place as
/// <c>/app/grid-client.js</c>). Its files are public; every figure on it comes from the API with the visitor's
/// token, which stays in the URL fragment and the tab's session storage and never reaches these routes.
/// </summary>
internal static class AppEndpoints
{
    // Only this origin's scripts and styles; API calls go to this origin. The wallet is the browser's own.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void MapAppEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/app", (HttpContext http, AppAssets assets) => Serve(http, assets, AppAssets.IndexName)).ExcludeFromDescription();
        routes.MapGet("/app/{file}", (string file, HttpContext http, AppAssets assets) => Serve(http, assets, file)).ExcludeFromDescription();
    }

    private static IResult Serve(HttpContext http, AppAssets assets, string name)
    {
        if (assets.Find(name) is not { } asset)
        {
            return GridProblem.Create(StatusCodes.Status404NotFound, ProblemCodes.NotFound, "Not found", $"The credits page has no file '{name}'.");
        }

        var headers = http.Response.Headers;
        headers.ETag = asset.ETag;
        // Revalidated on every load, so a new silo version never runs an old page against a new API.
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // A page that opened this one keeps no handle on it: it could otherwise move it to a link for another account.
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        if (http.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }
}
