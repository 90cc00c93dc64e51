using Grid.Storage.Stores;
using Microsoft.AspNetCore.Http;

namespace Grid.Gateway.Auth;

/// <summary>
/// Turns a request's <c>Authorization: Bearer</c> token into a <see cref="GridCaller"/>: the admin key, an
/// account key (<c>gk_</c>, checked against its stored hash), or a signed token (<c>gt_</c>, checked by MAC, expiry
/// and its account's revocation time). Done once per request; the result is kept on the request for the rate limiter
/// and the access filter.
/// </summary>
public sealed class CallerResolver(AdminKeyVerifier admin, ApiKeys keys, SignedTokens tokens, SqlTokenRevocationStore revocations, KeyLookupGuard guard)
{
    private const string Scheme = "Bearer ";

    public async ValueTask<CallerResolution> ResolveAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Items.TryGetValue(typeof(CallerResolution), out var known) && known is CallerResolution resolved)
        {
            return resolved;
        }

        var token = BearerToken(http);
        CallerResolution resolution;
        if (token is null)
        {
            resolution = CallerResolution.Anonymous;
        }
        else if (token.StartsWith(ApiKeys.Prefix, StringComparison.Ordinal) && guard.IsBlocked(http.Connection.RemoteIpAddress))
        {
            resolution = new CallerResolution(null, TokenPresented: true, Throttled: true); // not even looked up
        }
        else
        {
            var caller = await IdentifyAsync(token, http.RequestAborted);
            var wrongGuess = caller is null && IsGuessable(token);
            // A wrong guess at the admin key past the address's budget is throttled. The right key, checked without a
            // look-up, still passes: the operator is never locked out by someone else's guessing.
            var throttled = wrongGuess && guard.IsBlocked(http.Connection.RemoteIpAddress);
            if (wrongGuess && !throttled)
            {
                guard.RecordFailure(http.Connection.RemoteIpAddress);
            }

            resolution = new CallerResolution(caller, TokenPresented: true, Throttled: throttled);
        }

        http.Items[typeof(CallerResolution)] = resolution;
        return resolution;
    }

    /// <summary>Checks the request's token again, now (a long-lived request, such as a stream, outlives the first check).</summary>
    public async ValueTask<GridCaller?> RecheckAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return BearerToken(http) is { } token ? await IdentifyAsync(token, http.RequestAborted) : null;
    }

    /// <summary>
    /// Account keys and the admin key are secrets a caller could try guesses at, so wrong ones spend the address's
    /// budget (on every route, the dashboard's too); a signed token carries a MAC no guess can forge.
    /// </summary>
    private static bool IsGuessable(string token) => !token.StartsWith(SignedTokens.Prefix, StringComparison.Ordinal);

    private static string? BearerToken(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && header[Scheme.Length..].Trim() is { Length: > 0 } token ? token : null;
    }

    private async ValueTask<GridCaller?> IdentifyAsync(string token, CancellationToken cancellationToken)
    {
        if (admin.Verify(token))
        {
            return GridCaller.Operator;
        }

        if (token.StartsWith(ApiKeys.Prefix, StringComparison.Ordinal))
        {
            return await keys.VerifyAsync(token, cancellationToken);
        }

        if (tokens.Verify(token) is not { } claims)
        {
            return null;
        }

        // Only a well-signed token costs a look-up, so garbage cannot make the gateway read the database.
        return await revocations.RevokedUpToAsync(claims.AccountId, cancellationToken) is { } revokedUpTo && claims.IssuedAt <= revokedUpTo
            ? null
            : new GridCaller(claims.Kind, claims.AccountId, claims.Scope, claims.TokenId);
    }
}
