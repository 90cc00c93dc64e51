using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Grid.Chain.Rpc.Json;

/// <summary>
/// Turns what a node or provider answered (a JSON-RPC error object, an HTTP status) into a
/// <see cref="ChainRpcException"/> of the right <see cref="RpcFailureKind"/>.
/// </summary>
/// <remarks>
/// Providers word the same limits differently, so the eth_getLogs limits are recognised by code and wording:
/// Infura and geth-style nodes answer -32005 "query returned more than 10000 results" (or "query timeout
/// exceeded", which a smaller range cures too), Infura also -32602 "range 1000000 exceeds limit of 10000";
/// Alchemy -32602 "Log response size exceeded ..."; QuickNode -32614 "eth_getLogs is limited to a 10,000
/// range" (sometimes with HTTP 413); reth -32602 "query exceeds max block range 100000" and "query exceeds max
/// results 20000"; others -32000 "block range is too wide", "block range is bigger than maxBlockRange",
/// -32603 "eth_getLogs range is too large", -32005 "Maximum allowed number of requested blocks is 1000".
/// Rate limits: HTTP 429, code 429 (Alchemy "exceeded its compute units per second capacity"), Infura
/// -32005 "daily request count exceeded, request rate limited", QuickNode -32012 "credits limited to 6000/sec".
/// A revert (code 3, or a message saying "execution reverted") is always <see cref="RpcFailureKind.Rejected"/>,
/// whatever its reason text says, since that text is the contract's.
/// </remarks>
internal static partial class RpcErrorClassifier
{
    private const int MaxQuotedLength = 500;

    public static RpcFailureKind Classify(int code, string message)
    {
        var text = message.ToLowerInvariant();
        if (IsRevert(code, text))
        {
            return RpcFailureKind.Rejected;
        }

        if (code == 429 || RateLimitWording().IsMatch(text))
        {
            return RpcFailureKind.RateLimited;
        }

        if (code == -32005 || RangeWording().IsMatch(text))
        {
            return RpcFailureKind.RangeTooLarge;
        }

        return RpcFailureKind.Rejected;
    }

    // A revert: code 3, or a message saying so (geth "execution reverted", ganache-style "VM Exception").
    private static bool IsRevert(int code, string lowerCaseMessage) =>
        code == 3 || lowerCaseMessage.Contains("execution reverted", StringComparison.Ordinal) || lowerCaseMessage.Contains("vm exception", StringComparison.Ordinal);

    /// <summary>The failure a JSON-RPC error object describes; a malformed error object is itself a failure.</summary>
    public static ChainRpcException FromErrorObject(JsonElement error, string method)
    {
        if (error.ValueKind != JsonValueKind.Object
            || !error.TryGetProperty("code", out var codeElement)
            || codeElement.ValueKind != JsonValueKind.Number
            || !codeElement.TryGetInt32(out var code))
        {
            return Malformed(method, "its error object has no integer code");
        }

        var message = error.TryGetProperty("message", out var messageElement) && messageElement.ValueKind == JsonValueKind.String
            ? messageElement.GetString() ?? ""
            : "";
        string? data = null;
        if (error.TryGetProperty("data", out var dataElement))
        {
            data = dataElement.ValueKind switch
            {
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                JsonValueKind.String => dataElement.GetString(),
                _ => dataElement.GetRawText(),
            };
        }

        var kind = Classify(code, message);
        return new ChainRpcException(kind, $"{method}: the node answered error {code.ToString(CultureInfo.InvariantCulture)}: {Quote(message)}", code, data)
        {
            IsRevert = IsRevert(code, message.ToLowerInvariant()),
        };
    }

    /// <summary>
    /// The failure an HTTP status means by itself (429, 408, 413, 5xx), or null when the body must be read
    /// to tell (2xx, and other 4xx, which some nodes send with a JSON-RPC error object).
    /// </summary>
    public static ChainRpcException? FromHttpStatus(HttpStatusCode status, string method, TimeSpan? retryAfter)
    {
        var number = (int)status;
        var text = $"{method}: the node answered HTTP {number.ToString(CultureInfo.InvariantCulture)}";
        return number switch
        {
            429 => new ChainRpcException(RpcFailureKind.RateLimited, text + " (too many requests)") { RetryAfter = retryAfter },
            408 => new ChainRpcException(RpcFailureKind.Timeout, text + " (request timeout)"),
            413 => new ChainRpcException(RpcFailureKind.RangeTooLarge, text + " (the request or its answer is too large)"),
            >= 500 and <= 599 => new ChainRpcException(RpcFailureKind.Unavailable, text) { RetryAfter = retryAfter },
            _ => null,
        };
    }

    public static ChainRpcException Malformed(string method, string problem, Exception? innerException = null) =>
        new(RpcFailureKind.Malformed, $"{method}: the node's answer is not the JSON-RPC 2.0 asked for: {problem}.", innerException: innerException);

    // Messages come from outside; keep them short in ours.
    public static string Quote(string text) => text.Length <= MaxQuotedLength ? text : string.Concat(text.AsSpan(0, MaxQuotedLength), "...");

    [GeneratedRegex(@"rate.?limit|request rate|rate exceeded|too many requests|compute units per second|credits limited|requests? limit reached|throughput", RegexOptions.CultureInvariant)]
    private static partial Regex RateLimitWording();

    [GeneratedRegex(@"\brange\b|ranges\b|too many|more than [\d,]+ (results|logs|blocks)|response size|max(imum)? results|requested blocks|limited to|result window|too large", RegexOptions.CultureInvariant)]
    private static partial Regex RangeWording();
}
