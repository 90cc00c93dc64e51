using System.Globalization;
using Grid.Contracts.Accounts;
using Grid.Contracts.Payments;
using Grid.Gateway.Auth;
using Grid.Gateway.Hosting;
using Grid.Gateway.OpenApi;
using Grid.Gateway.OpenApi.Requests;
using Grid.Gateway.Problems;
using Grid.Ledger.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Credits;
using Grid.Ledger.Errors;
using Grid.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Grid.Gateway.Accounts;

/// <summary>
/// API.md "Accounts and ledger" (without the stream), plus deposits, refunds, freeze, unfreeze and close.
/// Reads take a key of the account with read scope; debits and holds take charge; freezing takes the
/// account's admin scope. Everything that creates or returns credits (open, deposit, adjust, refund),
/// unfreezing and closing are the operator's alone: no account key may mint credits for its own account.
/// </summary>
internal static class AccountEndpoints
{
    private const string CloseLogCategory = "Grid.Gateway.AccountClose";

    public const int DefaultJournalPage = 100;

    /// <summary>The account grain's own bound on a journal page.</summary>
    public const int MaxJournalPage = 1_000;

    private static readonly long MaxExpiresInSeconds = (long)PlaceHold.MaxExpiresIn.TotalSeconds;

    public static void MapAccountEndpoints(this IEndpointRouteBuilder routes)
    {
        // Every route is checked; unless it says otherwise below, it is the operator's (admin key).
        var accounts = routes.MapGroup("/v1/accounts").RequireAccess();

        accounts.MapPost("/", CreateAsync).WithName("CreateAccount").WithSummary("Opens an account (201; an existing id is 409 already_exists).")
            .DescribesBody<CreateAccountRequest>(isOptional: true)
            .Produces<AccountResponse>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status503ServiceUnavailable);
        accounts.MapGet("/{id}", GetAsync).WithName("GetAccount").WithSummary("The account and its balance.").RequireScope(ApiScope.Read)
            .DescribesRead<AccountResponse>().ProducesProblems(StatusCodes.Status404NotFound);
        accounts.MapGet("/{id}/holds", GetHoldsAsync).WithName("GetHolds").WithSummary("The account's open holds.").RequireScope(ApiScope.Read)
            .DescribesRead<HoldsResponse>();
        accounts.MapGet("/{id}/journal", GetJournalAsync).WithName("GetJournal").WithSummary("Journal entries after a sequence, ascending.").RequireScope(ApiScope.Read)
            .DescribesRead<JournalResponse>()
            .WithIntegerQuery("after", 0, long.MaxValue, 0, "Entries after this sequence (0: from the start); a page's next is the following page's after.")
            .WithIntegerQuery("limit", 1, MaxJournalPage, DefaultJournalPage, "At most this many entries.");

        accounts.MapPost("/{id}/deposits", (string id, HttpContext http, IGrainFactory grains) =>
            LedgerCalls.CommandAsync(http, grains, id, null, body => new Deposit(
                body.RequiredId("operationId"), Amount(body), body.OptionalString("reference"), body.OptionalObject("metadata")), EntryResult))
            .WithName("Deposit").WithSummary("Credits the account (admin; until payments credit accounts themselves).")
            .DescribesCommand<DepositRequest, EntryResultResponse>();

        accounts.MapPost("/{id}/debits", (string id, HttpContext http, IGrainFactory grains) =>
            LedgerCalls.CommandAsync(http, grains, id, null, body => new Debit(
                body.RequiredId("operationId"), Amount(body), Reference(body), body.OptionalObject("metadata")), EntryResult))
            .WithName("Debit").WithSummary("Spends available credits at once (402 when they do not suffice).").RequireScope(ApiScope.Charge)
            .DescribesCommand<DebitRequest, EntryResultResponse>(spends: true);

        accounts.MapPost("/{id}/refunds", (string id, HttpContext http, IGrainFactory grains) =>
            LedgerCalls.CommandAsync(http, grains, id, null, body => new Refund(
                body.RequiredId("operationId"), Amount(body), Reference(body), body.OptionalObject("metadata")), EntryResult))
            .WithName("Refund").WithSummary("Pays available credits back out to the payer; never below zero.")
            .DescribesCommand<DebitRequest, EntryResultResponse>(spends: true);

        accounts.MapPost("/{id}/adjustments", (string id, HttpContext http, IGrainFactory grains) =>
            LedgerCalls.CommandAsync(http, grains, id, null, body => new Adjust(
                body.RequiredId("operationId"), SignedAmount(body), body.RequiredString("reason")), EntryResult))
            .WithName("Adjust").WithSummary("An operator's correction, positive or negative (not 0), with a reason.")
            .DescribesCommand<AdjustmentRequest, EntryResultResponse>(spends: true);

        accounts.MapPost("/{id}/holds", (string id, HttpContext http, IGrainFactory grains) =>
            LedgerCalls.CommandAsync(http, grains, id, null, HoldToPlace, HoldPlaced, refuse: command => EndUserExpiry(http, command)))
            .WithName("PlaceHold").WithSummary("Reserves credits now (201 hold; its id is the operation id).").RequireScope(ApiScope.Charge)
            .DescribesCommand<PlaceHoldRequest, HoldResponse>(StatusCodes.Status201Created, spends: true);

        accounts.MapPost("/{id}/holds/{holdId}/capture", (string id, string holdId, HttpContext http, IGrainFactory grains) =>
            LedgerCalls.CommandAsync(http, grains, id, holdId, body => new CaptureHold(
                body.RequiredId("operationId"), holdId, body.RequiredInteger("amount", 0, CreditMath.MaxAmount), body.OptionalBoolean("final", true)), HoldResult))
            .WithName("CaptureHold").WithSummary("Captures up to what is left of a hold; a final capture releases the rest.").RequireSettler()
            .DescribesCommand<CaptureHoldRequest, HoldResultResponse>();

        accounts.MapPost("/{id}/holds/{holdId}/void", (string id, string holdId, HttpContext http, IGrainFactory grains) =>
            LedgerCalls.CommandAsync(http, grains, id, holdId, body => new VoidHold(body.RequiredId("operationId"), holdId), HoldResult))
            .WithName("VoidHold").WithSummary("Closes a hold without capturing; what is left returns to available.").RequireSettler()
            .DescribesCommand<OperationRequest, HoldResultResponse>();

        accounts.MapPost("/{id}/freeze", (string id, HttpContext http, IGrainFactory grains) =>
            LedgerCalls.CommandAsync(http, grains, id, null, body => new FreezeAccount(body.RequiredId("operationId"), body.OptionalString("reason")), EntryResult))
            .WithName("FreezeAccount").WithSummary("Stops new debits, holds and refunds (an account key with admin scope may freeze its own account).").RequireScope(ApiScope.Admin)
            .DescribesCommand<FreezeAccountRequest, EntryResultResponse>();

        accounts.MapPost("/{id}/unfreeze", (string id, HttpContext http, IGrainFactory grains) =>
            LedgerCalls.CommandAsync(http, grains, id, null, body => new UnfreezeAccount(body.RequiredId("operationId")), EntryResult))
            .WithName("UnfreezeAccount").WithSummary("Lets a frozen account spend again.")
            .DescribesCommand<OperationRequest, EntryResultResponse>();

        accounts.MapPost("/{id}/close", (string id, HttpContext http, IGrainFactory grains, ILoggerFactory loggers) =>
            LedgerCalls.CommandAsync(http, grains, id, null, body => new CloseAccount(body.RequiredId("operationId")), EntryResult, close => CloseWhenNothingPayableAsync(grains, id, close, loggers.CreateLogger(CloseLogCategory))))
            .WithName("CloseAccount").WithSummary("Closes an empty account for good.")
            .DescribesCommand<OperationRequest, EntryResultResponse>();
    }

    /// <summary>
    /// An account is closed only once nothing can still pay into it: money Stripe takes after the close could never be
    /// credited (the customer pays for nothing). Its auto-reload must be off with no charge that may still be credited
    /// (turning it off is the caller's own step, <c>DELETE .../auto-reload</c>, so that refusal changes nothing). Then,
    /// for an empty account, new Checkout Sessions are refused for the length of the close and every open one is
    /// expired at Stripe; one already paid, not yet credited, refuses the close.
    /// </summary>
    private static async Task<LedgerResult> CloseWhenNothingPayableAsync(
        IGrainFactory grains, string accountId, Func<Task<LedgerResult>> closeAccount, ILogger logger)
    {
        if (await grains.GetGrain<IAutoReloadGrain>(accountId).ClosingRefusal() is { } refusal)
        {
            throw new LedgerException(LedgerErrorCodes.InvalidState, refusal, "id");
        }

        var account = await grains.GetGrain<IAccountGrain>(accountId).Get();
        if (account is null)
        {
            return await closeAccount(); // the ledger answers: not found
        }

        var checkouts = grains.GetGrain<IOpenCheckoutsGrain>(accountId);
        if (account.Status == AccountStatus.Closed)
        {
            // Closed already (a repeat of this close gets its result): sessions stay refused for good, should the close
            // that closed it not have said so (its answer lost).
            await checkouts.AccountClosed();
            return await closeAccount();
        }

        if (account.Balance.Available != 0 || account.Balance.Held != 0)
        {
            // Refused here, as the ledger would, so no open checkout page is spoiled for a close that cannot happen (and
            // one that emptied meanwhile never closes without its sessions expired).
            throw new LedgerException(
                LedgerErrorCodes.AccountNotEmpty,
                $"Account {accountId} still has {account.Balance.Available} available and {account.Balance.Held} held; refund or settle them first.");
        }

        var close = await checkouts.BeginClose();
        bool? closed = false; // false: it did not close, sessions may start again; null: unknown, they stay refused a while
        try
        {
            var unpayable = new List<string>();
            foreach (var paymentId in close.PaymentIds)
            {
                if (await grains.GetGrain<IPaymentGrain>(paymentId).ExpireCheckout() is { } stillPayable)
                {
                    // Paid, its credit to come: the close cannot succeed, and the other pages stay payable.
                    await checkouts.Forget(unpayable);
                    throw new LedgerException(LedgerErrorCodes.InvalidState, stillPayable, "id");
                }

                unpayable.Add(paymentId);
            }

            await checkouts.Forget(unpayable);
            closed = null; // from here the close may commit without its answer reaching this call
            var result = await closeAccount();
            closed = true;
            return result;
        }
        catch (LedgerException refused) when (closed is null && !refused.IsRetryable)
        {
            closed = false; // refused by the ledger, answered once its entries were durable: the close did not happen
            throw;
        }
        finally
        {
            if (closed is { } ended)
            {
                await EndCloseAsync(checkouts, close.Token, ended, logger);
            }
        }
    }

    /// <summary>Ends a close, logging a failure rather than letting it replace the close's own answer (a retry ends it, or time does).</summary>
    private static async Task EndCloseAsync(IOpenCheckoutsGrain checkouts, string token, bool closed, ILogger logger)
    {
        try
        {
            await checkouts.EndClose(token, closed);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            logger.LogWarning(failure, "Close {Token} not ended ({Closed}); new Checkout Sessions stay refused until a later close ends or it lapses", token, closed);
        }
    }

    private static async Task<IResult> CreateAsync(HttpContext http, IGrainFactory grains)
    {
        var (body, problem) = await RequestBodyReader.ReadAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return problem!;
        }

        var id = body.OptionalId("id") ?? AccountIds.New();
        if (id.StartsWith(Grid.Contracts.Chain.WalletAccountIds.Prefix, StringComparison.Ordinal))
        {
            body.AddError("id", $"Ids starting with '{Grid.Contracts.Chain.WalletAccountIds.Prefix}' are kept for the accounts of signed-in wallets.");
        }

        var open = new OpenAccount(body.OptionalString("name"), OverdraftLimit: body.OptionalInteger("overdraftLimit", 0, CreditMath.MaxAmount) ?? 0);
        if (!body.IsValid)
        {
            return LedgerProblems.Validation(body.Errors);
        }

        return await LedgerCalls.CallAsync(http, async () =>
        {
            open.Validate();
            var entry = (await grains.GetGrain<IAccountGrain>(id).Execute(open)).Entry;
            var account = new AccountResponse(
                id, open.Name, AccountResponse.StatusName(Grid.Ledger.Accounts.AccountStatus.Active), open.Guest, BalanceResponse.From(entry.Balance), entry.At, open.OverdraftLimit, InDebt: false, DebtFloor: 0);
            http.Response.Headers.Location = $"/v1/accounts/{id}";
            return Results.Json(account, GatewayJsonContext.Default.AccountResponse, statusCode: StatusCodes.Status201Created);
        });
    }

    private static Task<IResult> GetAsync(string id, HttpContext http, IGrainFactory grains) =>
        LedgerCalls.ReadAsync(http, grains, id, async account => await account.Get() is { } view
            ? Results.Json(AccountResponse.From(view), GatewayJsonContext.Default.AccountResponse)
            : LedgerProblems.From(new LedgerException(LedgerErrorCodes.NotFound, $"Account {id} does not exist.", "id"), http));

    private static Task<IResult> GetHoldsAsync(string id, HttpContext http, IGrainFactory grains) =>
        LedgerCalls.ReadAsync(http, grains, id, async account =>
        {
            var holds = await account.GetHolds();
            return Results.Json(new HoldsResponse(holds.Select(HoldResponse.From).ToArray()), GatewayJsonContext.Default.HoldsResponse);
        });

    private static Task<IResult> GetJournalAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var query = new RequestBody(default);
        var after = QueryInteger(http.Request, "after", 0, long.MaxValue, 0, query);
        var limit = (int)QueryInteger(http.Request, "limit", 1, MaxJournalPage, DefaultJournalPage, query);
        return !query.IsValid
            ? Task.FromResult(LedgerProblems.Validation(query.Errors))
            : LedgerCalls.ReadAsync(http, grains, id, async account =>
                Results.Json(JournalResponse.From(await account.GetJournal(after, limit)), GatewayJsonContext.Default.JournalResponse));
    }

    private static PlaceHold HoldToPlace(RequestBody body)
    {
        var operationId = body.RequiredId("operationId");
        var amount = Amount(body);
        var expiresIn = body.OptionalInteger("expiresInSeconds", 1, MaxExpiresInSeconds) is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        body.MapField("expiresInMs", "expiresInSeconds"); // the ledger's canonical request keeps the expiry in milliseconds
        return new PlaceHold(operationId, amount, expiresIn, body.OptionalString("reference"));
    }

    /// <summary>
    /// A hold is what the server that settles it is sure to capture; an end user's expiry of a second would void it before
    /// the server is paid for the work. So an end user's hold has no expiry: the server captures or voids it.
    /// </summary>
    private static IResult? EndUserExpiry(HttpContext http, LedgerCommand command) =>
        http.Items[typeof(GridCaller)] is GridCaller { IsEndUser: true } && command is PlaceHold { ExpiresIn: not null }
            ? GridProblem.Forbidden("An end user's guest or wallet token places a hold without an expiry; expiresInSeconds is the server's to set (the server that settles the hold captures or voids it).")
            : null;

    private static long Amount(RequestBody body) => body.RequiredInteger("amount", 1, CreditMath.MaxAmount);

    private static long SignedAmount(RequestBody body)
    {
        var amount = body.RequiredInteger("amount", -CreditMath.MaxAmount, CreditMath.MaxAmount);
        if (amount == 0 && body.IsValid)
        {
            body.AddError("amount", $"amount must be a non-zero integer from -{CreditMath.MaxAmount} to {CreditMath.MaxAmount}.");
        }

        return amount;
    }

    /// <summary>API.md names a debit's note <c>reason</c>; other movements call it <c>reference</c>. Either is the entry's reference.</summary>
    private static string? Reference(RequestBody body)
    {
        var reason = body.OptionalString("reason");
        var reference = body.OptionalString("reference");
        if (reason is not null && reference is not null && reason != reference)
        {
            body.AddError("reason", "Give reason or reference, not both.");
        }

        if (reference is null && reason is not null)
        {
            body.MapField("reference", "reason");
        }

        return reference ?? reason;
    }

    private static long QueryInteger(HttpRequest request, string name, long min, long max, long fallback, RequestBody errors)
    {
        var values = request.Query[name];
        if (values.Count == 0)
        {
            return fallback;
        }

        if (values.Count == 1 && long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.AddError(name, $"{name} must be an integer from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
        return fallback;
    }

    private static IResult EntryResult(LedgerResult result) =>
        Results.Json(EntryResultResponse.From(result), GatewayJsonContext.Default.EntryResultResponse);

    private static IResult HoldResult(LedgerResult result) =>
        Results.Json(HoldResultResponse.From(result), GatewayJsonContext.Default.HoldResultResponse);

    /// <summary>201 for a new hold and for a replay of the same operation id alike: same request, same answer.</summary>
    private static IResult HoldPlaced(LedgerResult result) =>
        Results.Json(
            HoldResponse.From(result.Hold ?? throw new InvalidOperationException($"Entry {result.Entry.Sequence} names no hold.")),
            GatewayJsonContext.Default.HoldResponse,
            statusCode: StatusCodes.Status201Created);
}
