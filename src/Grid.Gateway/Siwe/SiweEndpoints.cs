using Grid.Gateway.Auth;
using Grid.Gateway.Hosting;
using Grid.Gateway.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Siwe;

/// <summary>API.md "Keys and auth": the Sign-In with Ethereum routes, open to anyone (limited per client address).</summary>
internal static class SiweEndpoints
{
    public static void MapSiweEndpoints(this IEndpointRouteBuilder routes)
    {
        var siwe = routes.MapGroup("/v1/auth/siwe");
        siwe.MapGet("/nonce", NonceAsync).WithName("SiweNonce").WithSummary("A single-use nonce for a Sign-In with Ethereum message.");
    }

    private static async Task<IResult> NonceAsync(HttpContext http, SiweNonces nonces, IOptions<AuthOptions> options)
    {
        if (NotConfigured(options.Value) is { } refused)
        {
            return refused;
        }

        http.Response.Headers.CacheControl = "no-store";
        return await nonces.IssueAsync(http.RequestAborted) is { } issued
            ? Results.Json(new NonceResponse(issued.Nonce, issued.ExpiresAt), GatewayJsonContext.Default.NonceResponse)
            : GridProblem.Unavailable("Too many sign-in nonces are outstanding; retry in a minute.");
    }

    private static IResult? NotConfigured(AuthOptions auth) =>
        string.IsNullOrEmpty(auth.Siwe.Domain) || string.IsNullOrEmpty(auth.Siwe.Uri) || auth.Siwe.ChainIds.Count == 0 || string.IsNullOrEmpty(auth.TokenSecret)
            ? GridProblem.Unavailable("Sign-In with Ethereum is off: set Grid:Auth:Siwe:Domain, Grid:Auth:Siwe:Uri, Grid:Auth:Siwe:ChainIds and Grid:Auth:TokenSecret.")
            : null;
}
