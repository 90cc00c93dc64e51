using Grid.Contracts.Accounts;
using Grid.Contracts.Payments;
using Grid.Gateway.Auth;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Runtime;
using Microsoft.AspNetCore.Http;

namespace Grid.Gateway.Accounts;

/// <summary>
/// The path every account route takes: check the ids in the path, read and check the body, build the
/// ledger command and check it as the grain would, call the account grain, and map the answer or the
/// refusal. Client mistakes are answered before any grain is called; a refusal is problem+json with the
/// ledger's code; a store or runtime that cannot answer now is 503 <c>unavailable</c> (retry with the
/// same operation id: nothing was acknowledged).
/// </summary>
internal static class LedgerCalls
{
    /// <summary>The name the ledger gives the account a refusal is about: on routes under <c>/v1/accounts/{id}</c> it is the path's <c>id</c>.</summary>
    private const string AccountField = "accountId";

    /// <param name="around">
    /// Runs the command (the function it is given) once the request is valid, with what must hold before it and be
    /// undone after; a <c>LedgerException</c> it throws is the answer. Without it the command just runs.
    /// </param>
    public static async Task<IResult> CommandAsync(
        HttpContext http,
        IGrainFactory grains,
        string accountId,
        string? holdId,
        Func<RequestBody, LedgerCommand> build,
        Func<LedgerResult, IResult> answer,
        Func<Func<Task<LedgerResult>>, Task<LedgerResult>>? around = null,
        Func<LedgerCommand, IResult?>? refuse = null)
    {
        if (PathProblem(accountId, holdId) is { } invalidPath)
        {
            return invalidPath;
        }

        var (body, problem) = await RequestBodyReader.ReadAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return problem!;
        }

        body.MapField(AccountField, "id"); // the account is the path's, not a body field
        var command = build(body);
        if (RailOperationIds.IsReserved(command.OperationId))
        {
            body.AddError("operationId", $"Operation ids starting with {string.Join(", ", RailOperationIds.Prefixes.Select(p => $"'{p}'"))} are the rails', casts' and sessions' own.");
        }
        else if (EndUserOperationIds.Problem(http.Items[typeof(GridCaller)] as GridCaller, command.OperationId) is { } namespaced)
        {
            body.AddError("operationId", namespaced);
        }

        if (!body.IsValid)
        {
            return LedgerProblems.Validation(body.Errors);
        }

        if (refuse?.Invoke(command) is { } refused)
        {
            return refused;
        }

        return await CallAsync(http, async () =>
        {
            command.Validate();
            var account = grains.GetGrain<IAccountGrain>(accountId);
            return answer(around is null ? await account.Execute(command) : await around(() => account.Execute(command)));
        }, body);
    }

    /// <summary>The account as last made durable; <c>not_found</c> (naming <c>id</c>) when it was never opened.</summary>
    public static async Task<AccountView> ExistingAsync(IAccountGrain account, string accountId) =>
        await account.Get() ?? throw new LedgerException(LedgerErrorCodes.NotFound, $"Account {accountId} does not exist.", "id");

    public static async Task<IResult> ReadAsync(HttpContext http, IGrainFactory grains, string accountId, Func<IAccountGrain, Task<IResult>> read) =>
        PathProblem(accountId, null) ?? await CallAsync(http, () => read(grains.GetGrain<IAccountGrain>(accountId)), PathFieldName);

    private static string PathFieldName(string ledgerField) => ledgerField == AccountField ? "id" : ledgerField;

    /// <summary>
    /// Runs a grain call and maps what the ledger or the runtime refused; a field the ledger names is
    /// given the name <paramref name="body"/> used for it.
    /// </summary>
    public static Task<IResult> CallAsync(HttpContext http, Func<Task<IResult>> call, RequestBody? body = null) =>
        CallAsync(http, call, body is null ? null : body.FieldName);

    private static async Task<IResult> CallAsync(HttpContext http, Func<Task<IResult>> call, Func<string, string>? fieldName)
    {
        try
        {
            return await call();
        }
        catch (LedgerException refused)
        {
            return LedgerProblems.From(refused, http, fieldName);
        }
        catch (Exception busy) when (IsTransient(busy))
        {
            // A timed-out command may or may not have been applied; the same operation id answers either way.
            return LedgerProblems.Unavailable(http, "The account did not answer in time or the silo is busy; retry with the same operation id.");
        }
    }

    /// <summary>
    /// What the runtime throws when a grain cannot answer now, whatever ran: timeouts, overload, a silo going, a grain whose
    /// state another activation wrote meanwhile (a cluster change), one that could not activate; and what the database
    /// driver says a retry may cure (the server out of reach, restarting, out of connections), for the reads and writes
    /// the gateway makes itself (keys, revocations, rail events) or a grain on another silo made. A caller retries with the same operation id (never a new
    /// one: the first may have been applied).
    /// </summary>
    public static bool IsTransient(Exception error) =>
        error is TimeoutException or GrainOverloadedException or SiloUnavailableException or StateConflictException or GrainActivationException
            or System.Data.Common.DbException { IsTransient: true } or Grid.Runtime.Transport.RemoteGrainException { IsTransient: true };

    private static IResult? PathProblem(string accountId, string? holdId)
    {
        if (AccountIds.PathProblem(accountId) is { } invalidAccount)
        {
            return invalidAccount;
        }

        if (holdId is not null && !Grid.Ledger.Idempotency.OperationIds.IsValid(holdId))
        {
            return LedgerProblems.Validation("holdId", "The hold id in the path must be 1 to 128 characters of A-Z, a-z, 0-9, '_', '.', ':' or '-'.");
        }

        // A dispute's, cast's or session's hold is its owner's to close: callers settle those through their own routes.
        return RailOperationIds.IsReserved(holdId)
            ? LedgerProblems.Validation("holdId", "This hold belongs to a payment rail, a cast or a session; it closes through its owner.")
            : null;
    }
}
