using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Grid.Gateway.Problems;

/// <summary>Builds RFC 7807 problem+json results that always carry a stable <c>code</c>.</summary>
public static class GridProblem
{
    public static IResult Create(int status, string code, string title, string? detail = null, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Type = $"https://creditgrid.dev/problems/{code.Replace('_', '-')}",
        };
        problem.Extensions["code"] = code;
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return Results.Problem(problem);
    }

    /// <summary>A request Kestrel could not read (a malformed chunk, a body too slow or too large): its status, never a 500.</summary>
    public static IResult Unreadable(BadHttpRequestException unreadable)
    {
        ArgumentNullException.ThrowIfNull(unreadable);
        return unreadable.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? Create(StatusCodes.Status413PayloadTooLarge, ProblemCodes.PayloadTooLarge, "Payload too large", "The request body exceeds the limit.")
            : Create(unreadable.StatusCode is >= 400 and < 500 ? unreadable.StatusCode : StatusCodes.Status400BadRequest,
                ProblemCodes.BadRequest, "Bad request", $"The request could not be read: {unreadable.Message}");
    }

    public static IResult Unauthorized(string detail) =>
        Create(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthorized, "Unauthorized", detail);

    public static IResult Forbidden(string detail) =>
        Create(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, "Forbidden", detail);

    /// <summary>429 <c>rate_limited</c>, with the wait as <c>Retry-After</c> and as <c>retryAfter</c> in the body.</summary>
    public static IResult RateLimited(HttpContext http, long retryAfterSeconds, string detail)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Create(StatusCodes.Status429TooManyRequests, ProblemCodes.RateLimited, "Too many requests", detail,
            new Dictionary<string, object?> { ["retryAfter"] = retryAfterSeconds });
    }

    public static IResult Unavailable(string detail) =>
        Create(StatusCodes.Status503ServiceUnavailable, ProblemCodes.Unavailable, "Unavailable", detail);
}
