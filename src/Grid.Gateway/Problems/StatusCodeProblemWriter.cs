using Grid.Gateway.Accounts;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Grid.Gateway.Problems;

/// <summary>
/// Turns bare status answers from the framework (unknown route, wrong method, body too large) and
/// unhandled exceptions into problem+json with a stable code, so clients never parse anything else.
/// </summary>
internal static class StatusCodeProblemWriter
{
    public static Task WriteStatusAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var (code, title, detail) = http.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => (ProblemCodes.NotFound, "Not found", $"No route matches {http.Request.Method} {http.Request.Path}."),
            StatusCodes.Status405MethodNotAllowed => (ProblemCodes.MethodNotAllowed, "Method not allowed", $"{http.Request.Path} does not accept {http.Request.Method}."),
            StatusCodes.Status413PayloadTooLarge => (ProblemCodes.PayloadTooLarge, "Payload too large", "The request body exceeds the limit."),
            StatusCodes.Status401Unauthorized => (ProblemCodes.Unauthorized, "Unauthorized", "A valid bearer token is required."),
            StatusCodes.Status403Forbidden => (ProblemCodes.Forbidden, "Forbidden", "The token does not allow this."),
            StatusCodes.Status429TooManyRequests => (ProblemCodes.RateLimited, "Too many requests", "Slow down and retry later."),
            _ => (ProblemCodes.Internal, "Error", (string?)null),
        };
        return GridProblem.Create(http.Response.StatusCode, code, title, detail).ExecuteAsync(http);
    }

    public static Task WriteExceptionAsync(HttpContext http)
    {
        var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        var result = error switch
        {
            // Routes map the ledger's refusals themselves; this is the net under them.
            Grid.Ledger.Errors.LedgerException refused => LedgerProblems.From(refused, http),
            BadHttpRequestException unreadable => GridProblem.Unreadable(unreadable), // a body read outside the routes' readers
            { } transient when LedgerCalls.IsTransient(transient) =>
                LedgerProblems.Unavailable(http, "The grid is busy or restarting; retry shortly (with the same operation id)."),
            _ => GridProblem.Create(StatusCodes.Status500InternalServerError, ProblemCodes.Internal, "Internal error", "The server failed; the error is logged."),
        };
        return result.ExecuteAsync(http);
    }
}
