namespace Grid.Chain.Rpc;

/// <summary>Why a JSON-RPC call failed, in the terms a caller acts on.</summary>
public enum RpcFailureKind
{
    /// <summary>The node refused an eth_getLogs range (too many blocks or results); ask again with a smaller one.</summary>
    RangeTooLarge,

    /// <summary>The provider throttled us (HTTP 429 or a rate-limit error); retried with backoff.</summary>
    RateLimited,

    /// <summary>The node could not be reached or answered with a server error; retried with backoff.</summary>
    Unavailable,

    /// <summary>No answer within the per-attempt timeout; retried with backoff.</summary>
    Timeout,

    /// <summary>The node answered with an error about the request itself (e.g. execution reverted); a repeat gets the same answer.</summary>
    Rejected,

    /// <summary>The answer was not the JSON-RPC 2.0 we asked for (not JSON, wrong shape, unmatched ids).</summary>
    Malformed,
}
