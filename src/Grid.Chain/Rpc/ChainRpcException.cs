namespace Grid.Chain.Rpc;

/// <summary>
/// A JSON-RPC call that failed, with the <see cref="Kind"/> of failure and, when the node answered with a
/// JSON-RPC error object, its <see cref="Code"/>, message and <see cref="Data"/>. Messages never contain the
/// endpoint URL, which often carries the provider's API key.
/// </summary>
public class ChainRpcException : Exception
{
    public ChainRpcException(RpcFailureKind kind, string message, int? code = null, string? data = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Code = code;
        Data = data;
    }

    /// <summary>What went wrong, in the terms a caller acts on.</summary>
    public RpcFailureKind Kind { get; }

    /// <summary>True for failures another attempt may cure: rate limits, unavailable nodes and timeouts.</summary>
    public bool IsRetryable => Kind is RpcFailureKind.RateLimited or RpcFailureKind.Unavailable or RpcFailureKind.Timeout;

    /// <summary>The JSON-RPC error code, when the node answered with an error object.</summary>
    public int? Code { get; }

    /// <summary>
    /// The error object's <c>data</c>: the string itself when it is a string (e.g. revert data "0x..."), else its
    /// JSON text (e.g. Infura's suggested block range). Hides <see cref="Exception.Data"/>, which is still there
    /// through a base-class reference.
    /// </summary>
    public new string? Data { get; }

    /// <summary>How long the provider asked us to wait before the next request (HTTP Retry-After), when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// The contract reverted the call (a <see cref="RpcFailureKind.Rejected"/> failure the node said was a revert); other
    /// rejections are the node's or the provider's own.
    /// </summary>
    public bool IsRevert { get; init; }
}
