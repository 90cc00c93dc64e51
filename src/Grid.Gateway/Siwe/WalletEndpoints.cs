using Grid.Chain.Addresses;
using Grid.Contracts.Accounts;
using Grid.Contracts.Chain;
using Grid.Gateway.Accounts;
using Grid.Gateway.Auth;
using Grid.Gateway.Hosting;
using Grid.Gateway.OpenApi;
using Grid.Gateway.OpenApi.Requests;
using Grid.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Siwe;

/// <summary>
/// Linking a wallet to an account: <c>POST /v1/accounts/{id}/wallets</c> with a SIWE message the wallet signed.
/// After it, the wallet's plain token transfers credit that account, and signing in with it opens a session on it.
/// Taken by the operator or a key of the account with admin scope: a wallet is a way into the account. The message
/// must list <c>urn:grid:account:{id}</c> among its resources, so a message the wallet signed to sign in (or to link
/// another account) can never be replayed to link it here. <c>DELETE /v1/accounts/{id}/wallets/{address}</c> ends
/// the link (the same callers), for a wallet lost or handed on. The operator alone reads a wallet's state
/// (<c>GET /v1/wallets/{address}</c>) and releases a move of its guest balance that a person has settled by hand.
/// </summary>
internal static class WalletEndpoints
{
    private const string AddressRule = "address must be a 0x-prefixed 20-byte hex Ethereum address.";

    public static void MapWalletEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/v1/accounts").RequireAccess()
            .MapPost("/{id}/wallets", LinkAsync)
            .WithName("LinkWallet")
            .WithSummary("Links the wallet that signed the SIWE message to this account (its payments and sign-ins then go to it) and moves its guest account's available balance there.")
            .DescribesBody<SiweVerifyRequest>()
            .Produces<WalletResponse>()
            .ProducesProblems(
                StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict,
                StatusCodes.Status413PayloadTooLarge, StatusCodes.Status503ServiceUnavailable)
            .RequireScope(ApiScope.Admin);
        routes.MapGroup("/v1/accounts").RequireAccess()
            .MapDelete("/{id}/wallets/{address}", UnlinkAsync)
            .WithName("UnlinkWallet")
            .WithSummary("Ends a wallet's link to this account: its payments and sign-ins go to its own guest account again (sessions it opened live on until DELETE .../tokens).")
            .Produces<WalletResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable)
            .RequireScope(ApiScope.Admin);
        var wallets = routes.MapGroup("/v1/wallets").RequireAccess();
        wallets.MapGet("/{address}", GetAsync)
            .WithName("GetWallet")
            .WithSummary("A wallet's link, guest account and any move of its guest balance stuck for a person (operator only).")
            .Produces<WalletOperatorResponse>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status503ServiceUnavailable);
        wallets.MapPost("/{address}/stuck-move/release", ReleaseStuckMoveAsync)
            .WithName("ReleaseStuckMove")
            .WithSummary("Lets go of a stuck move of the wallet's guest balance once a person has settled it by hand, so the guest balance moves again (operator only).")
            .DescribesBody<ReleaseStuckMoveRequest>()
            .Produces<WalletOperatorResponse>()
            .ProducesProblems(
                StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict,
                StatusCodes.Status413PayloadTooLarge, StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> GetAsync(string address, HttpContext http, IGrainFactory grains)
    {
        if (!EthereumAddress.TryParse(address, out var wallet, out _))
        {
            return InvalidAddress();
        }

        return await LedgerCalls.CallAsync(http, async () =>
            Results.Json(WalletOperatorResponse.From(await grains.GetGrain<IWalletGrain>(wallet.ToString()).Get()), GatewayJsonContext.Default.WalletOperatorResponse));
    }

    private static async Task<IResult> ReleaseStuckMoveAsync(string address, HttpContext http, IGrainFactory grains)
    {
        var valid = EthereumAddress.TryParse(address, out var wallet, out _);
        var (operationId, problem) = await RequestBodyReader.ReadOperationIdAsync(http.Request, "address", valid, AddressRule, http.RequestAborted);
        return operationId is null
            ? problem!
            : await LedgerCalls.CallAsync(http, async () =>
                Results.Json(WalletOperatorResponse.From(await grains.GetGrain<IWalletGrain>(wallet!.ToString()).ReleaseStuckMove(operationId)), GatewayJsonContext.Default.WalletOperatorResponse));
    }

    private static IResult InvalidAddress() => LedgerProblems.Validation("address", AddressRule);

    private static async Task<IResult> UnlinkAsync(string id, string address, HttpContext http, IGrainFactory grains)
    {
        if (AccountIds.PathProblem(id) is { } invalidId)
        {
            return invalidId;
        }

        if (!EthereumAddress.TryParse(address, out var wallet, out _))
        {
            return InvalidAddress();
        }

        return await LedgerCalls.CallAsync(http, async () =>
        {
            var unlinked = await grains.GetGrain<IWalletGrain>(wallet.ToString()).Unlink(id);
            return Results.Json(WalletResponse.From(unlinked), GatewayJsonContext.Default.WalletResponse);
        });
    }

    private static async Task<IResult> LinkAsync(string id, HttpContext http, SiweProof proof, IOptions<AuthOptions> options, IGrainFactory grains)
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

        var (signIn, refusal) = await proof.CheckAsync(body, options.Value, http.RequestAborted);
        if (signIn is null)
        {
            return refusal!;
        }

        var resource = ResourceFor(id);
        // Exactly one account: a message naming several would link the wallet to whichever admin used it first.
        var accounts = signIn.Message.Resources?.Where(r => r.StartsWith(AccountResourcePrefix, StringComparison.Ordinal)).ToList() ?? [];
        if (accounts.Count != 1 || accounts[0] != resource)
        {
            return LedgerProblems.Validation("message", $"A message that links a wallet lists '{resource}' among its resources, and no other account.");
        }

        return await LedgerCalls.CallAsync(http, async () =>
        {
            // Refusals the account decides come before the nonce is spent: the admin can fix the account and send the
            // same signed message again. (The wallet checks again as it links.)
            WalletLinkTarget.Require(await grains.GetGrain<IAccountGrain>(id).Get(), id);
            if (!await proof.SpendAsync(signIn, http.RequestAborted))
            {
                return SiweProof.NonceRaced();
            }

            var wallet = await grains.GetGrain<IWalletGrain>(signIn.Address.ToString()).Link(id);
            return Results.Json(WalletResponse.From(wallet), GatewayJsonContext.Default.WalletResponse);
        });
    }

    /// <summary>How every resource naming an account to link starts; sign-in refuses messages that carry one.</summary>
    public const string AccountResourcePrefix = "urn:grid:account:";

    /// <summary>The SIWE resource naming the account a wallet is linked to.</summary>
    public static string ResourceFor(string accountId) => AccountResourcePrefix + accountId;
}
