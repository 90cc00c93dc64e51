using Grid.Contracts.Sessions;
using Grid.Gateway.Accounts;
using Grid.Gateway.Auth;
using Grid.Gateway.Hosting;
using Grid.Gateway.OpenApi;
using Grid.Gateway.OpenApi.Requests;
using Grid.Gateway.Problems;
using Grid.Ledger.Credits;
using Grid.Ledger.Errors;
using Grid.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grid.Gateway.Sessions;

/// <summary>
/// Metered sessions (API.md "Casts and sessions"). The account a route acts on is not in its path (the start names
/// it in the body; the other routes act on the session's), so each route resolves its caller and checks it here:
/// the admin key, or a key of that account with the route's scope.
/// </summary>
internal static class SessionEndpoints
{
    /// <summary>What a session id in a route's path must be.</summary>
    internal static readonly string PathIdRule =
        $"The session id in the path must be 1 to {SessionIds.MaxLength} characters of A-Z, a-z, 0-9, '_', '.', ':' or '-'.";

    private const string Who = "The account is the body's accountId (start) or the session's account (the others).";

    public static void MapSessionEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/sessions", StartAsync)
            .WithName("StartSession")
            .WithSummary("Starts a metered session: holds the deposit on accountId (201; the same operationId and body answer the same session).")
            .WithDescription(Who + " A session's price and host say what its work costs and who is paid.")
            .RequireSettler()
            .DescribesBody<StartSessionRequest>()
            .Produces<SessionResponse>(StatusCodes.Status201Created)
            .ProducesProblems(
                StatusCodes.Status400BadRequest, StatusCodes.Status402PaymentRequired, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict,
                StatusCodes.Status413PayloadTooLarge, StatusCodes.Status503ServiceUnavailable);

        routes.MapPost("/v1/sessions/{id}/usage", UsageAsync)
            .WithName("ReportSessionUsage")
            .WithSummary("Adds units to a session; every checkpoint crossed captures its cost and pays host and treasury. Idempotent by operationId.")
            .WithDescription(Who)
            .RequireSettler()
            .DescribesBody<SessionUsageRequest>()
            .Produces<SessionResponse>()
            .ProducesProblems(
                StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status503ServiceUnavailable);

        routes.MapPost("/v1/sessions/{id}/end", EndAsync)
            .WithName("EndSession")
            .WithSummary("Ends a session: captures the rest of its usage, pays it out and releases the rest of the deposit. Ending a closed session returns it.")
            .WithDescription(Who)
            .RequireSettler()
            .DescribesBody<OperationRequest>()
            .Produces<SessionResponse>()
            .ProducesProblems(
                StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status503ServiceUnavailable);

        routes.MapGet("/v1/sessions/{id}", GetAsync)
            .WithName("GetSession")
            .WithSummary("A session: its units, checkpoints, what it charged and paid out, and payout steps still pending.")
            .WithDescription(Who)
            .RequireScope(ApiScope.Read)
            .Produces<SessionResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> StartAsync(HttpContext http, CallerResolver callers, IGrainFactory grains)
    {
        var (caller, refused) = await BodyAccountAccess.CallerAsync(http, callers);
        if (caller is null)
        {
            return refused!;
        }

        var (body, problem) = await RequestBodyReader.ReadAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return problem!;
        }

        var sessionId = body.RequiredId("operationId");
        if (sessionId.Length > SessionIds.MaxLength)
        {
            body.AddError("operationId", $"A session's operationId is its id: at most {SessionIds.MaxLength} characters.");
        }

        var accountId = body.RequiredId("accountId");
        var hostAccountId = body.RequiredId("hostAccountId");
        var deposit = body.RequiredInteger("deposit", 1, CreditMath.MaxAmount);
        var price = body.RequiredPositiveDecimal("pricePerUnit", SessionLimits.MaxPricePerUnit);
        var checkpointUnits = body.OptionalInteger("checkpointUnits", 1, SessionLimits.MaxUnitsPerReport);
        if (body.IsValid && accountId == hostAccountId)
        {
            body.AddError("hostAccountId", "The host's account must not be the account that pays.");
        }

        if (!body.IsValid)
        {
            return LedgerProblems.Validation(body.Errors);
        }

        if (BodyAccountAccess.Refusal(caller, accountId, BodyAccountAccess.RequirementOf(http)) is { } forbidden)
        {
            return forbidden;
        }

        var start = new SessionStart(accountId, hostAccountId, deposit, price, checkpointUnits);
        return await LedgerCalls.CallAsync(http, async () =>
        {
            var view = await grains.GetGrain<ISessionGrain>(sessionId).Start(start);
            return Results.Json(SessionResponse.From(view), GatewayJsonContext.Default.SessionResponse, statusCode: StatusCodes.Status201Created);
        }, body);
    }

    private static async Task<IResult> UsageAsync(string id, HttpContext http, CallerResolver callers, IGrainFactory grains)
    {
        var (session, refused) = await SessionOfCallerAsync(id, http, callers, grains);
        if (session is null)
        {
            return refused!;
        }

        var (body, problem) = await RequestBodyReader.ReadAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return problem!;
        }

        var operationId = body.RequiredId("operationId");
        var units = body.RequiredInteger("units", 1, SessionLimits.MaxUnitsPerReport);
        if (!body.IsValid)
        {
            return LedgerProblems.Validation(body.Errors);
        }

        return await LedgerCalls.CallAsync(http, async () =>
            Answer(await grains.GetGrain<ISessionGrain>(id).ReportUsage(new UsageReport(operationId, units))), body);
    }

    private static async Task<IResult> EndAsync(string id, HttpContext http, CallerResolver callers, IGrainFactory grains)
    {
        var (session, refused) = await SessionOfCallerAsync(id, http, callers, grains);
        if (session is null)
        {
            return refused!;
        }

        var (body, problem) = await RequestBodyReader.ReadAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return problem!;
        }

        var operationId = body.RequiredId("operationId");
        if (!body.IsValid)
        {
            return LedgerProblems.Validation(body.Errors);
        }

        return await LedgerCalls.CallAsync(http, async () => Answer(await grains.GetGrain<ISessionGrain>(id).End(operationId)), body);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, CallerResolver callers, IGrainFactory grains)
    {
        var (session, refused) = await SessionOfCallerAsync(id, http, callers, grains);
        return session is null ? refused! : Answer(session);
    }

    private static IResult Answer(SessionView view) => Results.Json(SessionResponse.From(view), GatewayJsonContext.Default.SessionResponse);

    /// <summary>The session in the path, once the caller is known and may act on its account as the route asks.</summary>
    private static async Task<(SessionView? Session, IResult? Refused)> SessionOfCallerAsync(
        string id, HttpContext http, CallerResolver callers, IGrainFactory grains)
    {
        var (caller, refused) = await BodyAccountAccess.CallerAsync(http, callers);
        if (caller is null)
        {
            return (null, refused);
        }

        if (!SessionIds.IsValid(id))
        {
            return (null, LedgerProblems.Validation("id", PathIdRule));
        }

        SessionView? session = null;
        var failed = await LedgerCalls.CallAsync(http, async () =>
        {
            var found = await grains.GetGrain<ISessionGrain>(id).Get();
            // Another account's session is not told apart from no session (as for casts).
            session = found is not null && caller.May(found.AccountId, ApiScope.Read)
                ? found
                : throw new LedgerException(LedgerErrorCodes.NotFound, $"There is no session {id}.", "id");
            return Results.Empty;
        });
        if (session is null)
        {
            return (null, failed);
        }

        return BodyAccountAccess.Refusal(caller, session.AccountId, BodyAccountAccess.RequirementOf(http)) is { } forbidden
            ? (null, forbidden)
            : (session, null);
    }
}
