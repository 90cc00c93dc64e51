using Grid.Contracts;
using System.Globalization;
using Grid.Chain.Addresses;
using Grid.Chain.Primitives;
using Grid.Contracts.Chain;
using Grid.Contracts.Payments;
using Grid.Gateway.Accounts;
using Grid.Gateway.Auth;
using Grid.Gateway.Hosting;
using Grid.Gateway.OpenApi;
using Grid.Gateway.OpenApi.Requests;
using Grid.Gateway.Problems;
using Grid.Gateway.RateLimiting;
using Grid.Ledger.Credits;
using Grid.Ledger.Errors;
using Grid.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Grid.Gateway.Payments;

/// <summary>
/// On-chain payments (API.md "Payments"): an intent tells a wallet what to send; a transaction hint asks the chain's
/// watcher to look at a receipt now. Neither credits anything: credits come from the watcher's confirmed scan alone.
/// </summary>
internal static class OnchainPaymentEndpoints
{
    public static void MapOnchainPaymentEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/payments/onchain", IntentAsync)
            .WithName("StartOnchainPayment")
            .WithSummary("Asks a wallet to pay on chain: the transaction to send (201; the same operationId returns the same payment). No auth, or a read credential of accountId.")
            .DescribesBody<OnchainIntentRequest>()
            .Produces<OnchainIntentResponse>(StatusCodes.Status201Created)
            .ProducesProblems(
                StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound,
                StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable);

        routes.MapPost("/v1/payments/{paymentId}/tx", HintAsync)
            .WithName("HintOnchainTransaction")
            .WithSummary("A hint that a transaction pays this payment: its receipt is read now. Never proof; credits wait for the confirmations.")
            .DescribesBody<TransactionHintRequest>()
            .Produces<ChainPaymentResponse>(StatusCodes.Status202Accepted)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> IntentAsync(
        HttpContext http, IntentPaymentIds ids, PaymentClaims claims, CallerResolver callers,
        [FromKeyedServices(AddressAllowance.NewIntents)] AddressAllowance newIntents, IGrainFactory grains)
    {
        var (body, problem) = await RequestBodyReader.ReadAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return problem!;
        }

        var operationId = body.RequiredId("operationId");
        var walletText = body.RequiredString("wallet");
        var amountCredits = body.OptionalInteger("amountCredits", 1, CreditMath.MaxAmount);
        var accountId = body.OptionalId("accountId");
        var token = body.RequiredString("token");
        var chainId = body.RequiredInteger("chainId", 1, long.MaxValue);
        EthereumAddress? wallet = null;
        if (!body.HasError("wallet") && !EthereumAddress.TryParse(walletText, out wallet, out var error))
        {
            body.AddError("wallet", $"wallet is not an address: {EthereumAddress.Describe(error)}.");
        }

        if (!body.IsValid)
        {
            return LedgerProblems.Validation(body.Errors);
        }

        if (!ids.IsConfigured)
        {
            return GridProblem.Unavailable("On-chain payments need Grid:Auth:TokenSecret (payment ids and guest tokens are derived from it).");
        }

        if (accountId is not null)
        {
            // Crediting a named account is open to who may read it; anyone may pay into a wallet's own account.
            if (await BodyAccountAccess.RefusedAsync(http, callers, accountId, ApiScope.Read) is { } refused)
            {
                return refused;
            }

            // Then the account's id space is its server's too: an end user keeps to its own namespace.
            if (EndUserOperationIds.Problem((await callers.ResolveAsync(http)).Caller, operationId) is { } namespaced)
            {
                return LedgerProblems.Validation("operationId", namespaced);
            }
        }

        var intent = new OnchainIntent(operationId, wallet!.ToString(), accountId, token, (ulong)chainId, amountCredits);
        var paymentId = ids.For(accountId, wallet.ToString(), operationId);
        return await LedgerCalls.CallAsync(http, async () =>
        {
            var payment = grains.GetGrain<IChainPaymentGrain>(paymentId);
            // An end user's token costs nothing to get (a wallet signs in with any fresh key), so it counts as no credential,
            // whichever account its intent names.
            var unkeyed = (await callers.ResolveAsync(http)).Caller is not { IsEndUser: false };
            if (unkeyed && await payment.Get() is null && !newIntents.TryTake(http.Connection.RemoteIpAddress))
            {
                return GridProblem.RateLimited(http, 60, "Too many new on-chain payments started without an account key from this address; try again in a minute.");
            }

            ChainPaymentView view;
            try
            {
                view = await payment.CreateIntent(intent);
            }
            catch (LedgerException conflict) when (unkeyed && conflict.Code == LedgerErrorCodes.IdempotencyConflict)
            {
                // Named field by field, a conflict would let anyone guess another payer's intent one field at a time (and with
                // it the claim a repeat returns): without an account key, only that the operation id is taken.
                throw new LedgerException(
                    LedgerErrorCodes.IdempotencyConflict, "This operationId was used for another on-chain intent of this wallet; use a new one.", "operationId");
            }

            var approve = view.ApproveTo is { } to ? new TransactionCall(to, view.ApproveData!) : null;
            var response = new OnchainIntentResponse(
                view.PaymentId, view.To!, view.Value, view.Data!, view.ChainId, view.ExpiresAt, view.Token, view.TokenAmount,
                amountCredits, StatusNames.Of(view.Status), approve,
                accountId is null ? claims.For(paymentId) : null); // only an intent naming no account can end in a guest token
            return Results.Json(response, GatewayJsonContext.Default.OnchainIntentResponse, statusCode: StatusCodes.Status201Created);
        }, body);
    }

    private static async Task<IResult> HintAsync(
        string paymentId, HttpContext http, IGrainFactory grains, IDepositReceipts receipts, CallerResolver callers, PaymentClaims claims)
    {
        if (!PaymentIds.IsValid(paymentId))
        {
            return PaymentEndpoints.InvalidPaymentId();
        }

        // No credential is needed (anyone who saw the transaction may hint it, and a payer's token may have expired by the
        // time its transaction is mined): a credential only decides whether the answer names the account.
        var caller = (await callers.ResolveAsync(http)).Caller;
        var claim = http.Request.Headers[PaymentClaims.Header].ToString();
        var claimed = claim.Length > 0 && claims.IsConfigured && claims.Matches(paymentId, claim);

        var (body, problem) = await RequestBodyReader.ReadAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return problem!;
        }

        var txHash = body.RequiredString("txHash");
        if (!body.HasError("txHash") && !Hash32.TryParse(txHash, out _))
        {
            body.AddError("txHash", "txHash is 0x and 64 hex digits.");
        }

        if (!body.IsValid)
        {
            return LedgerProblems.Validation(body.Errors);
        }

        return await LedgerCalls.CallAsync(http, async () =>
        {
            var payment = grains.GetGrain<IChainPaymentGrain>(paymentId);
            var view = await payment.Get() ?? throw new LedgerException(LedgerErrorCodes.NotFound, $"There is no on-chain payment {paymentId}.", "paymentId");
            try
            {
                // Read here first: a hint naming no deposit never takes a turn of the watcher, which scans for everyone.
                if (await receipts.HoldsDepositsAsync(view.ChainId, txHash, http.RequestAborted))
                {
                    await grains.GetGrain<IChainWatcherGrain>(view.ChainId.ToString(CultureInfo.InvariantCulture)).CheckTransaction(txHash);
                }
            }
            catch (Exception unreachable) when (unreachable is not LedgerException)
            {
                // A hint is only ever a hint: the scan finds the transaction anyway.
                throw LedgerException.Unavailable($"The node of chain {view.ChainId} could not be asked now; the watcher's scan will find the transaction.");
            }

            view = await payment.Get() ?? view;
            var response = ChainPaymentResponse.From(view, guestToken: null);
            // Whose payment it is goes only to who may read that account or holds the intent's claim, as for GET: the payment
            // id is public (the deposit carries it on chain), so the hint would otherwise tie a wallet to an account for anyone.
            var shows = view.AccountId is { } accountId && ((claimed && view.WalletGuest) || caller?.May(accountId, ApiScope.Read) == true);
            return Results.Json(shows ? response : response with { AccountId = null }, GatewayJsonContext.Default.ChainPaymentResponse, statusCode: StatusCodes.Status202Accepted);
        }, body);
    }
}
