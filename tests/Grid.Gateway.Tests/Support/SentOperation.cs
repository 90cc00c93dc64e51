using System.Net;
using System.Text.Json;

namespace Grid.Gateway.Tests.Support;

/// <summary>One ledger command a load client sent, and what it saw come back (if anything).</summary>
public sealed class SentOperation(string account, string operationId, string kind, string path, string body)
{
    public string Account { get; } = account;

    public string OperationId { get; } = operationId;

    /// <summary>deposit, debit, hold, capture or void.</summary>
    public string Kind { get; } = kind;

    public string Path { get; } = path;

    public string Body { get; } = body;

    /// <summary>The answer; null while in flight or when the connection broke before one came.</summary>
    public ApiResponse? Response { get; set; }

    public bool Acknowledged => Response is { IsSuccess: true };

    /// <summary>Sent, and no answer came: it may or may not have been applied.</summary>
    public bool InFlight => Response is null;

    /// <summary>The journal entry the answer acknowledged (a new hold answers the hold, not the entry).</summary>
    public JsonElement? AcknowledgedEntry =>
        Acknowledged && Kind != "hold" ? Response!.Json.GetProperty("entry") : null;

    public override string ToString() => $"{Kind} {OperationId} on {Account}: {(Response is null ? "no answer" : Response.ToString())}";

    public static bool IsRefusal(HttpStatusCode status) => (int)status is >= 400 and < 500;
}
