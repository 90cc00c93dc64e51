using Grid.Contracts.Accounts;
using Grid.Gateway.Accounts;
using Grid.Gateway.Auth;
using Grid.Gateway.Hosting;
using Grid.Gateway.OpenApi;
using Grid.Gateway.OpenApi.Requests;
using Grid.Gateway.Problems;
using Grid.Runtime;
using Grid.Storage.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Tokens;

/// <summary>
/// Guest tokens: <c>POST /v1/accounts/{id}/tokens</c> hands a browser or a player a short-lived, signed token
/// bound to one account with <c>read</c> or <c>charge</c> (never admin), so an app server never passes its own
/// key on; <c>DELETE</c> revokes every guest and wallet token issued for the account so far. Both taken by the
/// operator or a key of the account with admin scope.
/// </summary>
internal static class TokenEndpoints
{
    public static void MapTokenEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/v1/accounts").RequireAccess()
            .MapPost("/{id}/tokens", IssueAsync)
            .WithName("IssueGuestToken")
            .WithSummary("Issues a signed guest token bound to the account, read or charge, expiring (201; not stored: DELETE revokes all of the account's tokens).")
            .DescribesBody<IssueGuestTokenRequest>(isOptional: true)
            .Produces<IssuedTokenResponse>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status503ServiceUnavailable)
            .RequireScope(ApiScope.Admin);
        routes.MapGroup("/v1/accounts").RequireAccess()
            .MapDelete("/{id}/tokens", RevokeAsync)
            .WithName("RevokeGuestTokens")
            .WithSummary("Revokes every guest and wallet token issued for the account until now, on every silo at once (204); tokens issued afterwards work.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable)
            .RequireScope(ApiScope.Admin);
    }

    private static async Task<IResult> RevokeAsync(string id, HttpContext http, SqlTokenRevocationStore revocations, TimeProvider time, IGrainFactory grains)
    {
        if (AccountIds.PathProblem(id) is { } invalidId)
        {
            return invalidId;
        }

        return await LedgerCalls.CallAsync(http, async () =>
        {
            await LedgerCalls.ExistingAsync(grains.GetGrain<IAccountGrain>(id), id);

            await revocations.RevokeAsync(id, time.GetUtcNow(), http.RequestAborted);
            return Results.NoContent();
        });
    }

    private static async Task<IResult> IssueAsync(string id, HttpContext http, SignedTokens tokens, IOptions<AuthOptions> options, IGrainFactory grains)
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

        var scope = ApiScope.Charge;
        if (body.OptionalStrings("scopes") is { } names)
        {
            scope = 0;
            foreach (var name in names)
            {
                if (ApiScopes.TryParse(name, out var named) && named is ApiScope.Read or ApiScope.Charge)
                {
                    scope = (ApiScope)Math.Max((int)scope, (int)named);
                }
                else
                {
                    body.AddError("scopes", $"'{name}' is not a guest scope; use read or charge.");
                }
            }

            if (names.Count == 0)
            {
                body.AddError("scopes", "scopes must list read, charge or both when given.");
            }
        }

        var auth = options.Value;
        var maxSeconds = (long)auth.MaxGuestTokenLifetime.TotalSeconds;
        var lifetime = body.OptionalInteger("expiresInSeconds", 1, maxSeconds) is { } seconds ? TimeSpan.FromSeconds(seconds) : auth.GuestTokenLifetime;
        if (!body.IsValid)
        {
            return LedgerProblems.Validation(body.Errors);
        }

        if (!tokens.IsConfigured)
        {
            return GridProblem.Unavailable("Guest tokens are not issued: no token secret is configured (Grid:Auth:TokenSecret).");
        }

        return await LedgerCalls.CallAsync(http, async () =>
        {
            await LedgerCalls.ExistingAsync(grains.GetGrain<IAccountGrain>(id), id);

            var (token, claims) = tokens.Issue(CallerKind.GuestToken, id, scope, wallet: null, lifetime);
            var response = new IssuedTokenResponse(token, claims.TokenId, id, ScopeNames(scope), claims.ExpiresAt);
            return Results.Json(response, GatewayJsonContext.Default.IssuedTokenResponse, statusCode: StatusCodes.Status201Created);
        });
    }

    /// <summary>Each scope includes those below it; the answer lists them all, as keys do.</summary>
    public static IReadOnlyList<string> ScopeNames(ApiScope highest) =>
        highest == ApiScope.Charge ? ["read", "charge"] : ["read"];
}
