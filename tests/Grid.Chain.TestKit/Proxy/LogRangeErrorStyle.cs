namespace Grid.Chain.TestKit.Proxy;

/// <summary>How <see cref="FaultyRpcProxy"/> words the error for an eth_getLogs over too many blocks, after real providers.</summary>
public enum LogRangeErrorStyle
{
    /// <summary>Alchemy: code -32602, "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range ...".</summary>
    Alchemy,

    /// <summary>Infura: code -32005, "query returned more than 10000 results".</summary>
    Infura,
}
