using System.Globalization;
using Grid.Contracts.Chain;
using Grid.Contracts.Payments;
using Grid.Gateway.Accounts;
using Grid.Gateway.Auth;
using Grid.Gateway.Hosting;
using Grid.Gateway.OpenApi;
using Grid.Gateway.OpenApi.Requests;
using Grid.Gateway.Problems;
using Grid.Gateway.RateLimiting;
using Grid.Ledger.Errors;
using Grid.Runtime;
using Grid.Storage.Stores;
using Grid.Stripe.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Payments;

/// <summary>
/// Card top-ups (API.md "Payments"): the packages on sale, starting a Stripe Checkout for an account, and a
/// payment's status. Credits never come from these routes: only from the signed webhook.
/// </summary>
internal static class PaymentEndpoints
{
    public static void MapPaymentEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/topups/packages", Packages)
            .WithName("ListTopUpPackages")
            .WithSummary("The configured top-up packages.")
            .Produces<TopUpPackagesResponse>();

        routes.MapGroup("/v1/accounts").RequireAccess()
            .MapPost("/{id}/topups/checkout", CheckoutAsync)
            .WithName("StartCheckout")
            .WithSummary("Starts a card top-up: a Stripe Checkout Session for a package or an amount (201; the same operationId returns the same payment).")
            .DescribesBody<StartCheckoutRequest>()
            .Produces<CheckoutResponse>(StatusCodes.Status201Created)
            .ProducesProblems(
                StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status429TooManyRequests, StatusCodes.Status502BadGateway, StatusCodes.Status503ServiceUnavailable)
            .RequireScope(ApiScope.Charge);

        routes.MapGet("/v1/payments/{paymentId}", GetAsync)
            .WithName("GetPayment")
            .WithSummary("A payment's status and what it credited (card or chain). accountId only for a caller that may read the account or with the intent's claim (X-Payment-Claim), which also fetches a credited guest payment's guest token.")
            .Produces<PaymentResponse>()
            .Produces<ChainPaymentResponse>()
            .ProducesProblems(
                StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound,
                StatusCodes.Status503ServiceUnavailable);
    }

    private static IResult Packages(IOptions<TopUpOptions> options)
    {
        var topUps = options.Value;
        var packages = topUps.Packages.Select(p => new TopUpPackageResponse(p.Id, p.Credits, p.PriceCents, topUps.Currency)).ToArray();
        return Results.Json(new TopUpPackagesResponse(packages), GatewayJsonContext.Default.TopUpPackagesResponse);
    }

    private static async Task<IResult> CheckoutAsync(
        string id, HttpContext http, IOptions<TopUpOptions> options, CallerResolver callers,
        [FromKeyedServices(AddressAllowance.NewCheckouts)] AddressAllowance newCheckouts, IGrainFactory grains)
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

        var topUps = options.Value;
        var operationId = body.RequiredId("operationId");
        var packageId = body.OptionalString("packageId");
        var amountCents = body.OptionalInteger("amountCents", topUps.MinAmountCents, topUps.MaxAmountCents);
        TopUpPackage? package = null;
        if (packageId is not null && amountCents is not null)
        {
            body.AddError("packageId", "Give packageId or amountCents, not both.");
        }
        else if (packageId is not null)
        {
            package = topUps.Find(packageId);
            if (package is null)
            {
                body.AddError("packageId", $"There is no package '{packageId}'; GET /v1/topups/packages lists them.");
            }
        }
        else if (amountCents is null && body.IsValid)
        {
            body.AddError("packageId", "Give packageId (a configured package) or amountCents.");
        }

        if (!body.IsValid)
        {
            return LedgerProblems.Validation(body.Errors);
        }

        if (EndUserOperationIds.Problem(http.Items[typeof(GridCaller)] as GridCaller, operationId) is { } namespaced)
        {
            // The account's checkouts are one id space with its server's: a player must not take the id of the top-up its server starts.
            return LedgerProblems.Validation("operationId", namespaced);
        }

        var cents = package?.PriceCents ?? amountCents!.Value;
        var credits = package?.Credits ?? checked(cents * topUps.CreditsPerCent);
        var paymentId = PaymentIds.For(id, operationId);
        var successUrl = ReturnUrl(topUps.SuccessUrl, http, paymentId);
        var cancelUrl = ReturnUrl(topUps.CancelUrl ?? topUps.SuccessUrl, http, paymentId);
        if (topUps.SuccessUrl is null && !ListeningHosts.Includes(http, http.Request.Host)
            || !StripeReturnUrls.IsValid(successUrl) || !StripeReturnUrls.IsValid(cancelUrl))
        {
            // Only a URL made from the request's Host can be bad (configured ones are checked at start-up): an HTTP/1.0
            // request without one, one naming a host this gateway does not listen on, or one past Stripe's 5,000 characters.
            return LedgerProblems.Validation(
                "Host",
                "The payer's return URL is made from the Host header, which must name an address this gateway listens on; send that one, or configure Grid:TopUps:SuccessUrl (needed behind a proxy or on every interface).");
        }

        var start = new CheckoutStart(
            id, operationId, package?.Id, cents, topUps.Currency, credits,
            string.Create(CultureInfo.InvariantCulture, $"{credits:N0} credits"),
            successUrl,
            cancelUrl);

        return await LedgerCalls.CallAsync(http, async () =>
        {
            var payment = grains.GetGrain<IPaymentGrain>(paymentId);
            // An end user's token costs nothing to get (a wallet signs in with any fresh key, and gets its own account).
            if ((await callers.ResolveAsync(http)).Caller is { IsEndUser: true }
                && await payment.Get() is null && !newCheckouts.TryTake(http.Connection.RemoteIpAddress))
            {
                return GridProblem.RateLimited(http, 60, "Too many new card checkouts started with guest or wallet tokens from this address; try again in a minute.");
            }

            var view = await payment.StartCheckout(start);
            var response = new CheckoutResponse(
                view.PaymentId, view.CheckoutUrl!, PaymentResponse.From(view).Status, view.Credits, view.AmountCents, view.Currency);
            return Results.Json(response, GatewayJsonContext.Default.CheckoutResponse, statusCode: StatusCodes.Status201Created);
        }, body);
    }

    private static async Task<IResult> GetAsync(
        string paymentId,
        HttpContext http,
        IGrainFactory grains,
        SignedTokens tokens,
        PaymentClaims claims,
        CallerResolver callers,
        SqlTokenRevocationStore revocations,
        TimeProvider time,
        IOptions<AuthOptions> auth)
    {
        if (!PaymentIds.IsValid(paymentId))
        {
            return InvalidPaymentId();
        }

        var claim = http.Request.Headers[PaymentClaims.Header].ToString();
        if (claim.Length > 0 && (!claims.IsConfigured || !claims.Matches(paymentId, claim)))
        {
            return GridProblem.Forbidden($"{PaymentClaims.Header} is not this payment's claim.");
        }

        // No credential is needed (a payer's browser polls this), but a bad one is refused as anywhere else.
        var resolution = await callers.ResolveAsync(http);
        if (resolution.TokenPresented && resolution.Caller is null)
        {
            return BodyAccountAccess.Unauthorized(resolution);
        }

        // Whose payment it is goes only to who may read that account, or to the intent's claim for the wallet's own guest
        // account: a payment id is no secret (a contract deposit carries it on chain; a card payment's derives from the
        // account and operation ids).
        bool Shows(string? accountId, bool walletGuest) =>
            accountId is not null && ((claim.Length > 0 && walletGuest) || resolution.Caller?.May(accountId, ApiScope.Read) == true);

        return await LedgerCalls.CallAsync(http, async () =>
        {
            if (await grains.GetGrain<IPaymentGrain>(paymentId).Get() is { } card)
            {
                var response = PaymentResponse.From(card);
                return Results.Json(Shows(card.AccountId, walletGuest: false) ? response : response with { AccountId = null }, GatewayJsonContext.Default.PaymentResponse);
            }

            var chain = await grains.GetGrain<IChainPaymentGrain>(paymentId).Get()
                ?? throw new LedgerException(LedgerErrorCodes.NotFound, $"There is no payment {paymentId}.", "paymentId");
            if (!Shows(chain.AccountId, chain.WalletGuest))
            {
                return Results.Json(ChainPaymentResponse.From(chain, guestToken: null) with { AccountId = null }, GatewayJsonContext.Default.ChainPaymentResponse);
            }

            string? guestToken = null;
            if (claim.Length > 0 && chain.Status == PaymentStatus.Credited && chain.WalletGuest
                && await ClaimMayOpenGuestAsync(chain, grains, revocations, time, auth.Value, http.RequestAborted))
            {
                // The claim went only to whoever asked for the intent (the payment id is public: it is the deposit's ref on
                // chain), and only the wallet it named could pay it: the token opens that wallet's own guest account.
                guestToken = tokens.Issue(CallerKind.GuestToken, chain.AccountId!, ApiScope.Charge, chain.Wallet, auth.Value.GuestTokenLifetime).Token;
                http.Response.Headers.CacheControl = "no-store";
            }

            return Results.Json(ChainPaymentResponse.From(chain, guestToken), GatewayJsonContext.Default.ChainPaymentResponse);
        });
    }

    /// <summary>
    /// A claim is a bearer secret with no expiry of its own, held by whoever asked for the intent; it opens the wallet's
    /// guest account only for the time a sign-in would (the intent's pay-by time plus a guest token's life), never past
    /// a revocation of the guest's tokens made after the payment, and not once the wallet is linked to an account (its
    /// owner signs in there; the guest account then only gathers the wallet's later payments, which no old claim may spend).
    /// </summary>
    private static async Task<bool> ClaimMayOpenGuestAsync(
        ChainPaymentView chain, IGrainFactory grains, SqlTokenRevocationStore revocations, TimeProvider time, AuthOptions auth, CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() > (chain.ExpiresAt ?? chain.CreatedAt) + auth.GuestTokenLifetime)
        {
            return false;
        }

        if (await revocations.RevokedUpToAsync(chain.AccountId!, cancellationToken) is { } revokedUpTo && revokedUpTo >= chain.CreatedAt)
        {
            return false;
        }

        return (await grains.GetGrain<IWalletGrain>(chain.Wallet).Get()).LinkedAccountId is null;
    }

    public static IResult InvalidPaymentId() =>
        LedgerProblems.Validation("paymentId", $"A payment id is '{PaymentIds.Prefix}' and {PaymentIds.Length - PaymentIds.Prefix.Length} characters of a-z and 2-7.");

    /// <summary>The configured return URL, or the payment's own status on this gateway.</summary>
    private static string ReturnUrl(string? configured, HttpContext http, string paymentId) =>
        configured?.Replace("{PAYMENT_ID}", paymentId, StringComparison.Ordinal)
        ?? $"{http.Request.Scheme}://{http.Request.Host}/v1/payments/{paymentId}";
}
