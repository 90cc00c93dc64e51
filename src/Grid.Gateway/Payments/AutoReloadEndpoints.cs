using Grid.Contracts.Payments;
using Grid.Gateway.Accounts;
using Grid.Gateway.Auth;
using Grid.Gateway.Hosting;
using Grid.Gateway.OpenApi;
using Grid.Gateway.OpenApi.Requests;
using Grid.Gateway.Problems;
using Grid.Runtime;
using Grid.Stripe.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grid.Gateway.Payments;

/// <summary>
/// <c>/v1/accounts/{id}/auto-reload</c>: an account's saved card, threshold and amount. Saving turns it on (and
/// resets failures); DELETE turns it off. Charges never credit by themselves: the webhook does.
/// </summary>
internal static class AutoReloadEndpoints
{
    private const long MaxCredits = 9_007_199_254_740_991;

    public static void MapAutoReloadEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/accounts").RequireAccess();
        group.MapPut("/{id}/auto-reload", ConfigureAsync)
            .WithName("ConfigureAutoReload")
            .WithSummary("Saves the account's auto-reload (saved card, threshold, fixed amount or target balance) and turns it on.")
            .DescribesBody<AutoReloadRequest>()
            .Produces<AutoReloadResponse>()
            .ProducesProblems(
                StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status503ServiceUnavailable)
            .RequireScope(ApiScope.Admin);
        group.MapGet("/{id}/auto-reload", (string id, HttpContext http, IGrainFactory grains) =>
                CallAsync(id, http, () => grains.GetGrain<IAutoReloadGrain>(id).Get()))
            .WithName("GetAutoReload")
            .WithSummary("The account's auto-reload: settings, the charge under way, failures and backoff.")
            .Produces<AutoReloadResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status503ServiceUnavailable)
            .RequireScope(ApiScope.Read);
        group.MapDelete("/{id}/auto-reload", (string id, HttpContext http, IGrainFactory grains) =>
                CallAsync(id, http, () => grains.GetGrain<IAutoReloadGrain>(id).Disable()))
            .WithName("DisableAutoReload")
            .WithSummary("Turns the account's auto-reload off (a charge under way still completes).")
            .Produces<AutoReloadResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable)
            .RequireScope(ApiScope.Admin);
    }

    private static async Task<IResult> ConfigureAsync(string id, HttpContext http, CallerResolver callers, IGrainFactory grains)
    {
        if (AccountIds.PathProblem(id) is { } invalidId)
        {
            return invalidId;
        }

        var (body, problem) = await RequestBodyReader.ReadAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return problem!;
        }

        var settings = new AutoReloadSettings(
            body.RequiredString("customerId"),
            body.RequiredString("paymentMethodId"),
            body.RequiredInteger("thresholdCredits", 1, MaxCredits),
            body.OptionalInteger("amountCents", 1, 99_999_999),
            body.OptionalInteger("targetCredits", 1, MaxCredits));
        if (!body.IsValid)
        {
            return LedgerProblems.Validation(body.Errors);
        }

        var (caller, unauthorized) = await BodyAccountAccess.CallerAsync(http, callers);
        if (caller is null)
        {
            return unauthorized!;
        }

        return await LedgerCalls.CallAsync(http, async () =>
        {
            // Whoever names a customer first has its cards pay for their account's credits, and nothing on the grid's side
            // proves a customer is theirs: only the operator saves one for an account. An account key may then change the
            // settings of the customer its account holds.
            if (!caller.IsOperator && StripeObjectIds.IsCustomer(settings.CustomerId)
                && await grains.GetGrain<IStripeCustomerGrain>(settings.CustomerId).Holder() != id)
            {
                return GridProblem.Forbidden(
                    $"Stripe customer {settings.CustomerId} is not saved for account {id}: an account key names only the customer its account already holds, and the operator's key saves a new one.");
            }

            return Answer(await grains.GetGrain<IAutoReloadGrain>(id).Configure(settings));
        }, body);
    }

    private static async Task<IResult> CallAsync(string id, HttpContext http, Func<Task<AutoReloadView>> call) =>
        AccountIds.PathProblem(id) ?? await LedgerCalls.CallAsync(http, async () => Answer(await call()));

    private static IResult Answer(AutoReloadView view) =>
        Results.Json(AutoReloadResponse.From(view), GatewayJsonContext.Default.AutoReloadResponse);
}
