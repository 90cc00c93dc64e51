using Grid.Contracts.Casts;
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
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Casts;

/// <summary>
/// Casts (API.md "Casts and sessions") and the price table. A cast's routes carry no account in their path: the
/// caller is checked against the account in the body (start) or the cast's own account (the others).
/// </summary>
internal static class CastEndpoints
{
    public static void MapCastEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/pricing", Pricing)
            .WithName("GetPricing")
            .WithSummary("The price table of job kinds, the markup on provider costs and the default buffer: a quote before a cast starts.")
            .Produces<PricingResponse>();

        var casts = routes.MapGroup("/v1/casts");
        casts.MapPost("", StartAsync)
            .WithName("StartCast")
            .WithSummary("Starts a cast: quote plus buffer held on the account (201; the operationId is the cast id and returns the same cast again). Needs charge on accountId; an end user's token starts at the kind's listed price, buffer and timeout.")
            .WithMetadata(new AccessRequirement(ApiScope.Charge, OperatorOnly: false))
            .DescribesBody<StartCastRequest>()
            .Produces<CastResponse>(StatusCodes.Status201Created)
            .ProducesProblems(
                StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status402PaymentRequired, StatusCodes.Status403Forbidden,
                StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status503ServiceUnavailable);
        casts.MapPost("/{castId}/complete", CompleteAsync)
            .WithName("CompleteCast")
            .WithSummary("Settles a cast for its price or provider cost; the rest of the hold is released. Needs charge on the cast's account.")
            .WithMetadata(AccessRequirements.Settler)
            .DescribesBody<CompleteCastRequest>()
            .Produces<CastResponse>()
            .ProducesProblems(
                StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound,
                StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status503ServiceUnavailable);
        casts.MapPost("/{castId}/fail", FailAsync)
            .WithName("FailCast")
            .WithSummary("Ends a failed cast: the hold is voided, nothing charged. Needs charge on the cast's account.")
            .WithMetadata(AccessRequirements.Settler)
            .DescribesBody<FailCastRequest>()
            .Produces<CastResponse>()
            .ProducesProblems(
                StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound,
                StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status503ServiceUnavailable);
        casts.MapGet("/{castId}", GetAsync)
            .WithName("GetCast")
            .WithSummary("A cast. Needs read on its account.")
            .WithMetadata(new AccessRequirement(ApiScope.Read, OperatorOnly: false))
            .Produces<CastResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable);
    }

    private static IResult Pricing(IOptions<PricingOptions> options)
    {
        var pricing = options.Value;
        var kinds = pricing.Kinds.OrderBy(k => k.Key, StringComparer.Ordinal)
            .Select(k => new PricedKind(k.Key, k.Value, CastPricing.HoldFor(k.Value, pricing.BufferPercent)))
            .ToArray();
        return Results.Json(new PricingResponse(kinds, pricing.Markup, pricing.BufferPercent), GatewayJsonContext.Default.PricingResponse);
    }

    private static async Task<IResult> StartAsync(HttpContext http, CallerResolver callers, IOptions<PricingOptions> options, IGrainFactory grains)
    {
        var (body, problem) = await RequestBodyReader.ReadAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return problem!;
        }

        var pricing = options.Value;
        var castId = body.RequiredId("operationId");
        if (castId.Length > CastIds.MaxLength && Grid.Ledger.Idempotency.OperationIds.IsValid(castId))
        {
            body.AddError("operationId", $"A cast's operationId is at most {CastIds.MaxLength} characters: the ledger ids derived from it must fit 128.");
        }

        var accountId = body.RequiredId("accountId");
        var quote = body.OptionalInteger("quote", 1, CreditMath.MaxAmount);
        var quoted = quote is not null;
        var sentBuffer = (int?)body.OptionalInteger("bufferPercent", 0, 1_000);
        var buffer = sentBuffer ?? pricing.BufferPercent;
        var kind = body.OptionalId("kind");
        if (kind == SessionUsage.Kind)
        {
            // Metered sessions' usage is summed under this kind: a cast under it would be counted as a session's.
            body.AddError("kind", $"'{SessionUsage.Kind}' is the kind of metered sessions' usage; name the cast's kind otherwise.");
        }

        var timeoutSeconds = body.OptionalInteger("timeoutSeconds", 1, (long)pricing.MaxTimeout.TotalSeconds);
        if (quote is null && body.IsValid)
        {
            if (kind is null)
            {
                body.AddError("quote", "Give a quote, or a kind priced in GET /v1/pricing.");
            }
            else if (pricing.Kinds.TryGetValue(kind, out var listed))
            {
                quote = listed;
            }
            else
            {
                body.AddError("kind", $"Kind '{kind}' has no price in GET /v1/pricing; give a quote.");
            }
        }

        if (body.IsValid && CastPricing.HoldFor(quote!.Value, buffer) > CreditMath.MaxAmount)
        {
            // Named here, not by the ledger's amount the client never sent.
            body.AddError(quoted ? "quote" : "kind", $"The quote plus its {buffer}% buffer is more than {CreditMath.MaxAmount} credits.");
        }

        if (!body.IsValid)
        {
            return LedgerProblems.Validation(body.Errors);
        }

        var (caller, unresolved) = await BodyAccountAccess.CallerAsync(http, callers);
        if (caller is null)
        {
            return unresolved!;
        }

        if (!caller.May(accountId, ApiScope.Charge))
        {
            return BodyAccountAccess.Forbidden(ApiScope.Charge);
        }

        if (caller.IsEndUser && ServerOnlyTermSent(quoted, sentBuffer, timeoutSeconds) is { } set)
        {
            // The hold is what the server that runs the work is sure to be paid, and the timeout how long it has to say
            // what the work cost: a player's quote of 1, buffer of 0 or timeout of a second would leave it with nothing.
            return GridProblem.Forbidden(
                $"An end user's guest or wallet token starts a cast at its kind's listed price, with the silo's buffer and timeout; {set} is the server's to set.");
        }

        if (EndUserOperationIds.Problem(caller, castId) is { } namespaced)
        {
            return LedgerProblems.Validation("operationId", namespaced);
        }

        var timeout = timeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : pricing.DefaultTimeout;
        var defaulted = (quoted ? CastStartDefaults.None : CastStartDefaults.Quote)
            | (sentBuffer is null ? CastStartDefaults.BufferPercent : CastStartDefaults.None)
            | (timeoutSeconds is null ? CastStartDefaults.Timeout : CastStartDefaults.None);
        var start = new CastStart(castId, accountId, quote!.Value, buffer, kind, timeout, defaulted);
        return await LedgerCalls.CallAsync(http, async () =>
        {
            var view = await grains.GetGrain<ICastGrain>(castId).Start(start);
            return Results.Json(CastResponse.From(view), GatewayJsonContext.Default.CastResponse, statusCode: StatusCodes.Status201Created);
        }, body);
    }

    /// <summary>The first of a cast's terms in the body that only the server may set (not an end user's token), if any.</summary>
    private static string? ServerOnlyTermSent(bool quoted, int? bufferPercent, long? timeoutSeconds) =>
        quoted ? "quote" : bufferPercent is not null ? "bufferPercent" : timeoutSeconds is not null ? "timeoutSeconds" : null;

    private static async Task<IResult> CompleteAsync(string castId, HttpContext http, CallerResolver callers, IOptions<PricingOptions> options, IGrainFactory grains)
    {
        var (body, problem) = await RequestBodyReader.ReadAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return problem!;
        }

        var operationId = body.RequiredId("operationId");
        var providerCost = body.OptionalDecimal("providerCost", 0m, CreditMath.MaxAmount);
        var price = body.OptionalInteger("price", 0, CreditMath.MaxAmount);
        if (providerCost is not null && price is not null)
        {
            body.AddError("price", "Give price or providerCost, not both.");
        }
        else if (providerCost is { } cost && CastPricing.PriceFor(cost, options.Value.Markup) > CreditMath.MaxAmount)
        {
            body.AddError("providerCost", $"providerCost x markup ({options.Value.Markup}) is more than {CreditMath.MaxAmount} credits.");
        }

        return await OnCastAsync(http, callers, grains, castId, body,
            cast => cast.Complete(new CastCompletion(operationId, price, providerCost, options.Value.Markup)));
    }

    private static async Task<IResult> FailAsync(string castId, HttpContext http, CallerResolver callers, IGrainFactory grains)
    {
        var (body, problem) = await RequestBodyReader.ReadAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return problem!;
        }

        var operationId = body.RequiredId("operationId");
        var reason = body.RequiredString("reason");
        if (reason.Length > 256)
        {
            body.AddError("reason", "reason is at most 256 characters.");
        }

        return await OnCastAsync(http, callers, grains, castId, body, cast => cast.Fail(new CastFailure(operationId, reason)));
    }

    private static Task<IResult> GetAsync(string castId, HttpContext http, CallerResolver callers, IGrainFactory grains) =>
        OnCastAsync(http, callers, grains, castId, body: null, cast => cast.Get()!);

    /// <summary>Checks the body, and the caller against the cast's account as the route asks, then runs <paramref name="act"/> on the cast.</summary>
    private static async Task<IResult> OnCastAsync(
        HttpContext http, CallerResolver callers, IGrainFactory grains, string castId, RequestBody? body, Func<ICastGrain, Task<CastView>> act)
    {
        if (AccountIds.PathProblem(castId) is not null)
        {
            return LedgerProblems.Validation("castId", "A cast id is 1 to 128 characters of A-Z, a-z, 0-9, '_', '.', ':' and '-'.");
        }

        if (body is { IsValid: false })
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
            var cast = grains.GetGrain<ICastGrain>(castId);
            var view = await cast.Get();
            if (view is null || !caller.May(view.AccountId, ApiScope.Read))
            {
                // Another account's cast is not told apart from no cast.
                throw new LedgerException(LedgerErrorCodes.NotFound, $"There is no cast {castId}.", "castId");
            }

            if (BodyAccountAccess.Refusal(caller, view.AccountId, BodyAccountAccess.RequirementOf(http)) is { } refused)
            {
                return refused;
            }

            return Results.Json(CastResponse.From(await act(cast) ?? view), GatewayJsonContext.Default.CastResponse);
        }, body);
    }
}
