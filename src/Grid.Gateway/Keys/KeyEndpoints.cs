using Grid.Contracts.Accounts;
using Grid.Gateway.Accounts;
using Grid.Gateway.Auth;
using Grid.Gateway.Hosting;
using Grid.Gateway.OpenApi;
using Grid.Gateway.OpenApi.Requests;
using Grid.Ledger.Errors;
using Grid.Ledger.Idempotency;
using Grid.Runtime;
using Grid.Storage.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grid.Gateway.Keys;

/// <summary>API.md "Keys and auth": issue, list and revoke account keys (the operator's routes).</summary>
internal static class KeyEndpoints
{
    private const int MaxNameLength = 100;

    public static void MapKeyEndpoints(this IEndpointRouteBuilder routes)
    {
        var keys = routes.MapGroup("/v1/keys").RequireAccess();
        keys.MapPost("/", IssueAsync).WithName("IssueKey").WithSummary("Issues a key bound to one account (201; the key is shown only here).")
            .DescribesBody<IssueKeyRequest>()
            .Produces<IssuedKeyResponse>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status503ServiceUnavailable);
        keys.MapGet("/", ListAsync).WithName("ListKeys").WithSummary("An account's keys, without secrets.")
            .WithIdQuery("accountId", "The account whose keys to list.")
            .Produces<KeysResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest);
        keys.MapDelete("/{id}", RevokeAsync).WithName("RevokeKey").WithSummary("Revokes a key at once (204).")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> IssueAsync(HttpContext http, ApiKeys keys, IGrainFactory grains)
    {
        var (body, problem) = await RequestBodyReader.ReadAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return problem!;
        }

        var accountId = body.RequiredId("accountId");
        var name = body.OptionalString("name");
        if (name is { Length: 0 or > MaxNameLength })
        {
            body.AddError("name", $"name must be 1 to {MaxNameLength} characters when given.");
        }

        var scopes = new List<ApiScope>();
        var names = body.OptionalStrings("scopes");
        if (names is null or { Count: 0 })
        {
            body.AddError("scopes", "scopes must list at least one of read, charge, admin.");
        }
        else
        {
            foreach (var scopeName in names)
            {
                if (ApiScopes.TryParse(scopeName, out var scope))
                {
                    scopes.Add(scope);
                }
                else
                {
                    body.AddError("scopes", $"'{scopeName}' is not a scope; use read, charge or admin.");
                }
            }
        }

        if (!body.IsValid)
        {
            return LedgerProblems.Validation(body.Errors);
        }

        return await LedgerCalls.CallAsync(http, async () =>
        {
            if (await grains.GetGrain<IAccountGrain>(accountId).Get() is null)
            {
                return LedgerProblems.From(new LedgerException(LedgerErrorCodes.NotFound, $"Account {accountId} does not exist.", "accountId"), http);
            }

            var (record, key) = await keys.IssueAsync(accountId, scopes, name, http.RequestAborted);
            var issued = new IssuedKeyResponse(record.KeyId, key, record.AccountId, record.Name, ScopeNames(record), record.CreatedAt);
            return Results.Json(issued, GatewayJsonContext.Default.IssuedKeyResponse, statusCode: StatusCodes.Status201Created);
        });
    }

    private static async Task<IResult> ListAsync(HttpContext http, SqlApiKeyStore store)
    {
        var accountId = http.Request.Query["accountId"].ToString();
        if (!AccountIds.IsValid(accountId))
        {
            return LedgerProblems.Validation("accountId", "accountId (query) must name an account.");
        }

        var keys = await store.ListAsync(accountId, http.RequestAborted);
        var listed = keys.Select(k => new KeyResponse(k.KeyId, ApiKeys.PrefixOf(k), k.AccountId, k.Name, ScopeNames(k), k.CreatedAt, k.LastUsedAt, k.RevokedAt)).ToArray();
        return Results.Json(new KeysResponse(listed), GatewayJsonContext.Default.KeysResponse);
    }

    /// <param name="id">The key's id (API.md names the route's parameter <c>{id}</c>; it is a key id here, not an account's).</param>
    private static async Task<IResult> RevokeAsync(string id, HttpContext http, SqlApiKeyStore store, TimeProvider time)
    {
        if (!OperationIds.IsValid(id))
        {
            // Key ids are base64url, well inside the id grammar; anything else is never looked up.
            return LedgerProblems.Validation("id", "The key id in the path must be 1 to 128 characters of A-Z, a-z, 0-9, '_', '.', ':' or '-'.");
        }

        if (await store.FindAsync(id, http.RequestAborted) is null)
        {
            return LedgerProblems.From(new LedgerException(LedgerErrorCodes.NotFound, $"There is no key {id}.", "id"), http);
        }

        await store.RevokeAsync(id, time.GetUtcNow(), http.RequestAborted); // revoking twice is still revoked
        return Results.NoContent();
    }

    private static string[] ScopeNames(ApiKeyRecord key) => key.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
