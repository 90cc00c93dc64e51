using Grid.Chain.Siwe;
using Grid.Contracts.Chain;
using Grid.Gateway.Accounts;
using Grid.Gateway.Auth;
using Grid.Gateway.Hosting;
using Grid.Gateway.OpenApi;
using Grid.Gateway.OpenApi.Requests;
using Grid.Gateway.Problems;
using Grid.Gateway.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Grid.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>A session shorter than this is not issued: the message is as good as expired.</summary>
    private static readonly TimeSpan MinSessionLifetime = TimeSpan.FromSeconds(5);

    /// <summary>How long a linked wallet's sign-in waits for its guest balance to be handed on (see HandOnStrandedGuestBalanceAsync).</summary>
    private static readonly TimeSpan HandOnWait = TimeSpan.FromSeconds(3);

    private static async Task<IResult> VerifyAsync(
        HttpContext http, SiweProof proof, SignedTokens tokens,
        [FromKeyedServices(AddressAllowance.GuestAccounts)] AddressAllowance openings, IOptions<AuthOptions> options, IGrainFactory grains, TimeProvider time,
        ILoggerFactory loggers)
    {
        if (SiweProof.NotConfigured(options.Value) is { } refused)
        {
            return refused;
        }

        var (body, problem) = await RequestBodyReader.ReadAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return problem!;
        }

        var (signIn, refusal) = await proof.CheckAsync(body, options.Value, http.RequestAborted);
        if (signIn is null)
        {
            return refusal!;
        }

        if (signIn.Message.Resources?.FirstOrDefault(r => r.StartsWith(WalletEndpoints.AccountResourcePrefix, StringComparison.Ordinal)) is { } linking)
        {
            // A message has one purpose. A link message passes through the hands of the account's admin, who must not be
            // able to turn it into a session on the wallet's own account (or the account it is linked to now).
            return LedgerProblems.Validation("message", $"A message listing '{linking}' links a wallet; it cannot sign in. Sign one without it.");
        }

        var lifetime = options.Value.Siwe.SessionLifetime;
        if (signIn.ExpiresAt is { } expires && expires - time.GetUtcNow() < lifetime)
        {
            lifetime = expires - time.GetUtcNow(); // never outlive what the wallet signed
        }

        if (lifetime < MinSessionLifetime)
        {
            // Within the clock skew the verifier allows, but too close to its end to be worth a session.
            return SiweProof.Refusal(new SiweFailure(SiweFailureReason.Expired, SiweField.ExpirationTime, "the message expires now"));
        }

        return await LedgerCalls.CallAsync(http, async () =>
        {
            // The wallet's linked account, else its own guest account (opened now on a first sign-in, within the address's budget).
            var wallet = grains.GetGrain<IWalletGrain>(signIn.Address.ToString());
            var accountId = await wallet.FindAccount();
            if (accountId is null)
            {
                if (!openings.TryTake(http.Connection.RemoteIpAddress))
                {
                    return GridProblem.RateLimited(http, 60, "Too many new wallets signed in from this address; try again in a minute.");
                }

                accountId = await wallet.ResolveAccount();
            }
            if (!await proof.SpendAsync(signIn, http.RequestAborted))
            {
                return SiweProof.NonceRaced();
            }

            if (accountId != WalletAccountIds.For(signIn.Address.ToString()))
            {
                await HandOnStrandedGuestBalanceAsync(wallet, loggers, time, http.RequestAborted); // before the expiry check below, which then covers it
            }

            if (signIn.ExpiresAt is { } last && last - time.GetUtcNow() < TimeSpan.FromSeconds(1))
            {
                // It expired while the account was opened: it could not be used again anyway.
                return SiweProof.Refusal(new SiweFailure(SiweFailureReason.Expired, SiweField.ExpirationTime, "the message expired during sign-in"));
            }

            var (token, claims) = tokens.Issue(CallerKind.WalletSession, accountId, ApiScope.Charge, signIn.Address.ToString(), lifetime, signIn.ExpiresAt);
            http.Response.Headers.CacheControl = "no-store";
            return Results.Json(
                new WalletSessionResponse(token, signIn.Address.ToString(), accountId, claims.ExpiresAt), GatewayJsonContext.Default.WalletSessionResponse);
        });
    }

    /// <summary>
    /// A linked wallet signing in is the moment its holder looks for its credits: any its guest account still holds (a
    /// payment begun before the link, credited after it, whose hand-on a stop or a timeout cut short) go to the linked
    /// account now. The sign-in waits for it only briefly and never fails by it: the move is idempotent, a started one
    /// is finished by the wallet's reminder, and the next sign-in (or a link again) asks once more.
    /// </summary>
    private static async Task HandOnStrandedGuestBalanceAsync(IWalletGrain wallet, ILoggerFactory loggers, TimeProvider time, CancellationToken aborted)
    {
        try
        {
            // Past the wait the call goes on in the grain, unobserved: it finishes or fails there, and says so in the log.
            await wallet.HandOnGuestBalance().WaitAsync(HandOnWait, time, aborted);
        }
        catch (Exception failed) when (!aborted.IsCancellationRequested)
        {
            loggers.CreateLogger("Grid.Gateway.Siwe").LogWarning("The guest balance of a signing-in wallet was not handed on now: {Error}", failed.Message);
        }
    }

    private static IResult Nonce(HttpContext http, SiweNonces nonces, IOptions<AuthOptions> options)
    {
        if (SiweProof.NotConfigured(options.Value) is { } refused)
        {
            return refused;
        }

        http.Response.Headers.CacheControl = "no-store";
        var (nonce, expiresAt) = nonces.Issue();
        return Results.Json(new NonceResponse(nonce, expiresAt), GatewayJsonContext.Default.NonceResponse);
    }
}
