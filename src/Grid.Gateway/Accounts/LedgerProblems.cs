using Grid.Contracts.Payments;
using Grid.Gateway.Problems;
using Grid.Ledger.Errors;
using Microsoft.AspNetCore.Http;

namespace Grid.Gateway.Accounts;

/// <summary>
/// problem+json for the ledger's refusals (API.md "Errors"): the ledger's stable code passes through as
/// <c>code</c>, with the HTTP status that code stands for. A field the ledger named goes out as <c>field</c>
/// (and, for validation, under <c>errors</c>).
/// </summary>
internal static class LedgerProblems
{
    /// <summary>Seconds a client should wait before retrying an <c>unavailable</c> answer.</summary>
    public const int RetryAfterSeconds = 1;

    /// <param name="fieldName">The request's name for a field the ledger named (the ledger's own by default).</param>
    public static IResult From(LedgerException error, HttpContext http, Func<string, string>? fieldName = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        var named = error.Field is { } ledgerField ? fieldName?.Invoke(ledgerField) ?? ledgerField : null;
        switch (error.Code)
        {
            case LedgerErrorCodes.ValidationFailed:
                return Validation(named ?? "body", error.Message);
            case LedgerErrorCodes.Unavailable:
                return Unavailable(http, error.Message);
            case LedgerErrorCodes.InsufficientFunds:
                return GridProblem.Create(
                    StatusCodes.Status402PaymentRequired,
                    error.Code,
                    "Insufficient funds",
                    error.Message,
                    new Dictionary<string, object?> { ["available"] = error.Available, ["required"] = error.Required });
            case LedgerErrorCodes.NegativeBalance:
                return GridProblem.Create(
                    StatusCodes.Status402PaymentRequired,
                    error.Code,
                    "Negative balance",
                    error.Message,
                    new Dictionary<string, object?> { ["available"] = error.Available });
        }

        var (status, title) = error.Code switch
        {
            LedgerErrorCodes.NotFound => (StatusCodes.Status404NotFound, "Not found"),
            LedgerErrorCodes.AlreadyExists => (StatusCodes.Status409Conflict, "Already exists"),
            LedgerErrorCodes.IdempotencyConflict => (StatusCodes.Status409Conflict, "Idempotency conflict"),
            LedgerErrorCodes.HoldClosed => (StatusCodes.Status409Conflict, "Hold closed"),
            LedgerErrorCodes.AccountFrozen => (StatusCodes.Status409Conflict, "Account frozen"),
            LedgerErrorCodes.AccountClosed => (StatusCodes.Status409Conflict, "Account closed"),
            LedgerErrorCodes.AccountNotEmpty => (StatusCodes.Status409Conflict, "Account not empty"),
            LedgerErrorCodes.TooManyHolds => (StatusCodes.Status409Conflict, "Too many holds"),
            LedgerErrorCodes.TooManyReports => (StatusCodes.Status409Conflict, "Too many usage reports"),
            LedgerErrorCodes.InvalidState => (StatusCodes.Status409Conflict, "Invalid state"),
            PaymentErrorCodes.ProviderError => (StatusCodes.Status502BadGateway, "Payment provider error"),
            PaymentErrorCodes.NotConfigured => (StatusCodes.Status503ServiceUnavailable, "Card payments not configured"),
            // A refusal the gateway does not know yet is still a refusal: nothing changed.
            _ => (StatusCodes.Status409Conflict, "Refused"),
        };
        var extensions = named is not null ? new Dictionary<string, object?> { ["field"] = named } : null;
        return GridProblem.Create(status, error.Code, title, error.Message, extensions);
    }

    /// <summary>400 <c>validation_failed</c> with <c>errors: {field: [message]}</c>.</summary>
    public static IResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    public static IResult Validation(IReadOnlyDictionary<string, string[]> errors)
    {
        var detail = string.Join(" ", errors.SelectMany(e => e.Value));
        return GridProblem.Create(
            StatusCodes.Status400BadRequest,
            ProblemCodes.ValidationFailed,
            "Validation failed",
            detail,
            new Dictionary<string, object?> { ["errors"] = errors });
    }

    /// <summary>503 <c>unavailable</c> with Retry-After: nothing was acknowledged; send the same operation id again.</summary>
    public static IResult Unavailable(HttpContext http, string detail)
    {
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return GridProblem.Unavailable(detail);
    }
}
