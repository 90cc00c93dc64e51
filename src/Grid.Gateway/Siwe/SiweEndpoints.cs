using Grid.Chain.Siwe;
using Grid.Gateway.Accounts;
using Grid.Gateway.Auth;
using Grid.Gateway.Hosting;
using Grid.Gateway.OpenApi;
using Grid.Gateway.OpenApi.Requests;
using Grid.Gateway.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Grid.Runtime;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Siwe;

/// <summary>API.md "Keys and auth": the Sign-In with Ethereum routes, open to anyone (limited per client address).</summary>
internal static class SiweEndpoints
{
    public static void MapSiweEndpoints(this IEndpointRouteBuilder routes)
    {
        var siwe = routes.MapGroup("/v1/auth/siwe");
        siwe.MapGet("/nonce", Nonce).WithName("SiweNonce").WithSummary("A single-use nonce for a Sign-In with Ethereum message.")
            .Produces<NonceResponse>()
            .ProducesProblems(StatusCodes.Status503ServiceUnavailable);
        siwe.MapPost("/verify", VerifyAsync).WithName("SiweVerify")
            .WithSummary("Checks a signed Sign-In with Ethereum message and returns a wallet session token for the wallet's account (401 with reason when refused).")
            .DescribesBody<SiweVerifyRequest>()
            .Produces<WalletSessionResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>A session shorter than this is not issued: the message is as good as expired.</summary>
    private static readonly TimeSpan MinSessionLifetime = TimeSpan.FromSeconds(5);

    private static async Task<IResult> VerifyAsync(
        HttpContext http, SiweNonces nonces, SignedTokens tokens, IOptions<AuthOptions> options, IGrainFactory grains, TimeProvider time)
    {
        if (NotConfigured(options.Value) is { } refused)
        {
            return refused;
        }

        var (body, problem) = await RequestBodyReader.ReadAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return problem!;
        }

        var message = body.RequiredString("message");
        var signature = body.RequiredString("signature");
        if (!body.IsValid)
        {
            return LedgerProblems.Validation(body.Errors);
        }

        var siwe = options.Value.Siwe;
        var uri = new Uri(siwe.Uri!);
        var expectations = new SiweExpectations
        {
            Domain = siwe.Domain!,
            Scheme = uri.Scheme,
            Uri = uri,
            ChainIds = [.. siwe.ChainIds],
        };
        var result = await new SiweVerifier(new UsableNonceCheck(nonces), time).VerifyAsync(message, signature, expectations, http.RequestAborted);
        if (!result.Succeeded)
        {
            return Refusal(result.Failure);
        }

        var signIn = result.SignIn;
        var lifetime = siwe.SessionLifetime;
        if (signIn.ExpiresAt is { } expires && expires - time.GetUtcNow() < lifetime)
        {
            lifetime = expires - time.GetUtcNow(); // never outlive what the wallet signed
        }

        if (lifetime < MinSessionLifetime)
        {
            // Within the clock skew the verifier allows, but too close to its end to be worth a session.
            return Refusal(new SiweFailure(SiweFailureReason.Expired, SiweField.ExpirationTime, "the message expires now"));
        }

        return await LedgerCalls.CallAsync(http, async () =>
        {
            var accountId = await WalletAccounts.FindOrOpenAsync(grains, signIn.Address);
            if (!await nonces.TryMarkUsedAsync(signIn.Message.Nonce, http.RequestAborted))
            {
                return Refusal(new SiweFailure(SiweFailureReason.NonceInvalid, SiweField.Nonce, "the nonce was used meanwhile"));
            }

            if (signIn.ExpiresAt is { } last && last - time.GetUtcNow() < TimeSpan.FromSeconds(1))
            {
                // It expired while the account was opened: it could not be used again anyway.
                return Refusal(new SiweFailure(SiweFailureReason.Expired, SiweField.ExpirationTime, "the message expired during sign-in"));
            }

            var (token, claims) = tokens.Issue(CallerKind.WalletSession, accountId, ApiScope.Charge, signIn.Address.ToString(), lifetime, signIn.ExpiresAt);
            http.Response.Headers.CacheControl = "no-store";
            return Results.Json(
                new WalletSessionResponse(token, signIn.Address.ToString(), accountId, claims.ExpiresAt), GatewayJsonContext.Default.WalletSessionResponse);
        });
    }

    /// <summary>
    /// A message or signature that is not well formed is 400 naming the field; a well-formed one that does not
    /// hold (wrong domain, chain, time, signer or nonce) is 401, with the precise reason as <c>reason</c>.
    /// </summary>
    private static IResult Refusal(SiweFailure failure)
    {
        if (failure.Reason == SiweFailureReason.Malformed)
        {
            var field = failure.Field == SiweField.Signature ? "signature" : "message";
            return LedgerProblems.Validation(field, $"{field} is not well formed: {failure.Detail}.");
        }

        return GridProblem.Create(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthorized, "Sign-in refused", failure.Detail + ".",
            new Dictionary<string, object?> { ["reason"] = failure.Code, ["field"] = failure.Field });
    }

    private static IResult Nonce(HttpContext http, SiweNonces nonces, IOptions<AuthOptions> options)
    {
        if (NotConfigured(options.Value) is { } refused)
        {
            return refused;
        }

        http.Response.Headers.CacheControl = "no-store";
        var (nonce, expiresAt) = nonces.Issue();
        return Results.Json(new NonceResponse(nonce, expiresAt), GatewayJsonContext.Default.NonceResponse);
    }

    private static IResult? NotConfigured(AuthOptions auth) =>
        string.IsNullOrEmpty(auth.Siwe.Domain) || string.IsNullOrEmpty(auth.Siwe.Uri) || auth.Siwe.ChainIds.Count == 0 || string.IsNullOrEmpty(auth.TokenSecret)
            ? GridProblem.Unavailable("Sign-In with Ethereum is off: set Grid:Auth:Siwe:Domain, Grid:Auth:Siwe:Uri, Grid:Auth:Siwe:ChainIds and Grid:Auth:TokenSecret.")
            : null;
}
