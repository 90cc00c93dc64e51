namespace Grid.Chain.TestKit.Proxy;

/// <summary>
/// One eth_getLogs answer kept back by <see cref="FaultyRpcProxy"/>: read from the node at once, handed to the caller only
/// on <see cref="ProxyHold.Release"/>, so a test can change the chain between the node's answer and the caller's next request.
/// </summary>
public sealed class LogAnswerHold : ProxyHold;
