using Grid.Contracts.Sessions;
using Grid.Gateway.Accounts;
using Grid.Gateway.Auth;
using Grid.Gateway.Hosting;
using Grid.Gateway.OpenApi;
using Grid.Gateway.OpenApi.Requests;
using Grid.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grid.Gateway.Sessions;

/// <summary>
/// The operator's view of a session's payout steps that their accounts refused for good (set aside, owed), and the
/// release of one a person has paid by hand, so that nothing pays it again. The admin key only: the steps name the
/// host's and the treasury's accounts.
/// </summary>
internal static class ParkedStepEndpoints
{
    public static void MapParkedStepEndpoints(this IEndpointRouteBuilder routes)
    {
        var sessions = routes.MapGroup("/v1/sessions").RequireAccess();
        sessions.MapGet("/{id}/parked", GetAsync)
            .WithName("GetParkedSessionSteps")
            .WithSummary("A session's payout steps set aside for a person: each one's operationId, kind, account and amount (operator only).")
            .Produces<ParkedStepsResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable);
        sessions.MapPost("/{id}/parked/release", ReleaseAsync)
            .WithName("ReleaseParkedSessionStep")
            .WithSummary("Lets go of a parked payout step a person has paid by hand, so nothing pays it again; answers the steps still parked (operator only).")
            .DescribesBody<ReleaseParkedStepRequest>()
            .Produces<ParkedStepsResponse>()
            .ProducesProblems(
                StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, IGrainFactory grains) =>
        SessionIds.IsValid(id)
            ? await LedgerCalls.CallAsync(http, async () => Answer(id, await grains.GetGrain<ISessionGrain>(id).ParkedSteps()))
            : LedgerProblems.Validation("id", SessionEndpoints.PathIdRule);

    private static async Task<IResult> ReleaseAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var (operationId, problem) = await RequestBodyReader.ReadOperationIdAsync(http.Request, "id", SessionIds.IsValid(id), SessionEndpoints.PathIdRule, http.RequestAborted);
        return operationId is null
            ? problem!
            : await LedgerCalls.CallAsync(http, async () => Answer(id, await grains.GetGrain<ISessionGrain>(id).ReleaseParkedStep(operationId)));
    }

    private static IResult Answer(string id, IReadOnlyList<ParkedStepView> steps) =>
        Results.Json(ParkedStepsResponse.From(id, steps), GatewayJsonContext.Default.ParkedStepsResponse);
}
