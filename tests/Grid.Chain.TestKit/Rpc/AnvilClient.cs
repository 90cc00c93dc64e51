using System.Net.Http.Headers;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;

namespace Grid.Chain.TestKit.Rpc;

/// <summary>
/// A small raw JSON-RPC client for an Anvil node: the standard eth_ calls tests need to set a chain up and look at it,
/// and Anvil's own methods for mining, reorgs and snapshots. Independent of the grid's chain client on purpose, so
/// tests of that client check it against something it did not build. Addresses come back lowercase.
/// </summary>
public sealed class AnvilClient : IDisposable
{
    private static readonly TimeSpan DefaultReceiptTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReceiptPollInterval = TimeSpan.FromMilliseconds(25);

    private readonly HttpClient _http;
    private readonly TimeProvider _clock;
    private IReadOnlyList<string>? _devAccounts;
    private long _nextId;

    /// <param name="rpcUrl">The node's JSON-RPC endpoint (<see cref="Anvil.AnvilNode.RpcUrl"/>).</param>
    /// <param name="clock">Paces the waits for receipts.</param>
    public AnvilClient(Uri rpcUrl, TimeProvider? clock = null)
    {
        RpcUrl = rpcUrl;
        _clock = clock ?? TimeProvider.System;
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri RpcUrl { get; }

    /// <summary>Sends one JSON-RPC request and returns its <c>result</c>; throws <see cref="JsonRpcException"/> on an error object.</summary>
    public async Task<JsonNode?> RequestAsync(string method, JsonArray parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = Interlocked.Increment(ref _nextId),
            ["method"] = method,
            ["params"] = parameters,
        };
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync(RpcUrl, content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{method}: HTTP {(int)response.StatusCode} from {RpcUrl}: {text}", null, response.StatusCode);
        }

        var answer = JsonNode.Parse(text) as JsonObject ?? throw new FormatException($"{method}: not a JSON-RPC answer: {text}");
        if (answer["error"] is JsonObject error)
        {
            throw new JsonRpcException(method, error["code"]?.GetValue<long>() ?? 0, error["message"]?.GetValue<string>() ?? "", error["data"]);
        }

        return answer["result"];
    }

    public async Task<long> GetChainIdAsync(CancellationToken cancellationToken) =>
        Hex.ToLong(await RequestTextAsync("eth_chainId", [], cancellationToken));

    public async Task<long> GetBlockNumberAsync(CancellationToken cancellationToken) =>
        Hex.ToLong(await RequestTextAsync("eth_blockNumber", [], cancellationToken));

    /// <summary>The block at <paramref name="number"/>, or null if the chain is not that long.</summary>
    public Task<ChainBlock?> GetBlockAsync(long number, CancellationToken cancellationToken) =>
        GetBlockAsync(Hex.Quantity(number), cancellationToken);

    /// <summary>The block at a tag (<c>latest</c>, <c>earliest</c>, ...) or a quantity, or null if there is none.</summary>
    public async Task<ChainBlock?> GetBlockAsync(string blockTag, CancellationToken cancellationToken)
    {
        var block = await RequestAsync("eth_getBlockByNumber", [blockTag, false], cancellationToken);
        return block is null ? null : ChainBlock.Parse(block);
    }

    /// <summary>Mines <paramref name="blocks"/> blocks at once, whatever the mining mode (anvil_mine).</summary>
    public async Task MineAsync(int blocks, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blocks);
        await RequestAsync("anvil_mine", [Hex.Quantity(blocks)], cancellationToken);
    }

    /// <summary>Turns mining on every transaction on or off (evm_setAutomine).</summary>
    public async Task SetAutomineAsync(bool enabled, CancellationToken cancellationToken) =>
        await RequestAsync("evm_setAutomine", [enabled], cancellationToken);

    /// <summary>Mines a block every <paramref name="seconds"/> seconds; 0 stops interval mining (evm_setIntervalMining).</summary>
    public async Task SetIntervalMiningAsync(int seconds, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seconds);
        await RequestAsync("evm_setIntervalMining", [seconds], cancellationToken);
    }

    /// <summary>
    /// Replaces the last <paramref name="depth"/> blocks with as many new ones (anvil_reorg), so the height stays the
    /// same and every block from height-depth+1 on gets a new hash. The dropped blocks' transactions are gone: they do
    /// not return to the pending pool. <paramref name="inclusions"/> put transactions into the new blocks
    /// (see <see cref="ReorgInclusion"/> for the block offsets).
    /// </summary>
    public async Task ReorgAsync(int depth, IEnumerable<ReorgInclusion> inclusions, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(depth);
        ArgumentNullException.ThrowIfNull(inclusions);
        var pairs = new JsonArray();
        foreach (var inclusion in inclusions)
        {
            if (inclusion.BlockOffset < 0 || inclusion.BlockOffset >= depth)
            {
                throw new ArgumentOutOfRangeException(nameof(inclusions), inclusion.BlockOffset, $"A block offset is in [0, {depth}) for a reorg of depth {depth}.");
            }

            pairs.Add(new JsonArray(inclusion.Transaction.DeepClone(), inclusion.BlockOffset));
        }

        // Anvil reads its ReorgOptions positionally: [depth, [[transaction, blockOffset], ...]].
        await RequestAsync("anvil_reorg", [depth, pairs], cancellationToken);
    }

    /// <summary>A reorg of <paramref name="depth"/> blocks whose new blocks are empty.</summary>
    public Task ReorgAsync(int depth, CancellationToken cancellationToken) => ReorgAsync(depth, [], cancellationToken);

    /// <summary>Saves the whole chain state; <see cref="RevertAsync"/> goes back to it (evm_snapshot).</summary>
    public Task<string> SnapshotAsync(CancellationToken cancellationToken) => RequestTextAsync("evm_snapshot", [], cancellationToken);

    /// <summary>Goes back to a snapshot, dropping every block since; false if there is no such snapshot. A snapshot is used up by reverting to it.</summary>
    public async Task<bool> RevertAsync(string snapshotId, CancellationToken cancellationToken) =>
        (await RequestAsync("evm_revert", [snapshotId], cancellationToken))?.GetValue<bool>() ?? false;

    /// <summary>The node's unlocked dev accounts (eth_accounts), asked once.</summary>
    public async Task<IReadOnlyList<string>> GetDevAccountsAsync(CancellationToken cancellationToken)
    {
        if (_devAccounts is { } known)
        {
            return known;
        }

        var accounts = await RequestAsync("eth_accounts", [], cancellationToken) as JsonArray ?? [];
        IReadOnlyList<string> list = [.. accounts.Select(account => account!.GetValue<string>().ToLowerInvariant())];
        _devAccounts = list;
        return list;
    }

    /// <summary>The balance in wei of <paramref name="address"/> at the latest block.</summary>
    public Task<BigInteger> GetBalanceAsync(string address, CancellationToken cancellationToken) =>
        GetBalanceAsync(address, "latest", cancellationToken);

    /// <summary>The balance in wei of <paramref name="address"/> at a block tag or quantity.</summary>
    public async Task<BigInteger> GetBalanceAsync(string address, string blockTag, CancellationToken cancellationToken) =>
        Hex.ToBigInteger(await RequestTextAsync("eth_getBalance", [address, blockTag], cancellationToken));

    /// <summary>The code at <paramref name="address"/> (<c>0x</c> for an account without code).</summary>
    public Task<string> GetCodeAsync(string address, CancellationToken cancellationToken) =>
        RequestTextAsync("eth_getCode", [address, "latest"], cancellationToken);

    /// <summary>eth_call of <paramref name="data"/> on <paramref name="to"/> at the latest block; returns the return data.</summary>
    public Task<string> CallAsync(string to, string data, CancellationToken cancellationToken) =>
        CallAsync(to, data, "latest", cancellationToken);

    /// <summary>eth_call of <paramref name="data"/> on <paramref name="to"/> at a block tag or quantity; returns the return data.</summary>
    public Task<string> CallAsync(string to, string data, string blockTag, CancellationToken cancellationToken) =>
        RequestTextAsync("eth_call", [new JsonObject { ["to"] = to, ["input"] = data }, blockTag], cancellationToken);

    /// <summary>Has a dev account sign and send a transaction (eth_sendTransaction); returns its hash.</summary>
    public Task<string> SendTransactionAsync(string from, string? to, BigInteger valueWei, string? data, CancellationToken cancellationToken) =>
        SendTransactionAsync(new TransactionRequest(from, to, valueWei, data), cancellationToken);

    /// <summary>Has a dev account sign and send a transaction (eth_sendTransaction); returns its hash.</summary>
    public Task<string> SendTransactionAsync(TransactionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RequestTextAsync("eth_sendTransaction", [request.ToJson()], cancellationToken);
    }

    /// <summary>The signed bytes of a transaction the node knows (eth_getRawTransactionByHash), e.g. to re-include it in a reorg.</summary>
    public async Task<string> GetRawTransactionAsync(string transactionHash, CancellationToken cancellationToken) =>
        (await RequestAsync("eth_getRawTransactionByHash", [transactionHash], cancellationToken))?.GetValue<string>()
        ?? throw new InvalidOperationException($"The node does not know transaction {transactionHash}.");

    /// <summary>The receipt of a mined transaction, or null while it is pending or if it is not on the chain.</summary>
    public async Task<TransactionReceipt?> GetReceiptAsync(string transactionHash, CancellationToken cancellationToken)
    {
        var receipt = await RequestAsync("eth_getTransactionReceipt", [transactionHash], cancellationToken);
        return receipt is null ? null : TransactionReceipt.Parse(receipt);
    }

    /// <summary>Waits until the transaction is mined and returns its receipt; fails after 30 s.</summary>
    public Task<TransactionReceipt> WaitForReceiptAsync(string transactionHash, CancellationToken cancellationToken) =>
        WaitForReceiptAsync(transactionHash, DefaultReceiptTimeout, cancellationToken);

    /// <summary>Waits until the transaction is mined and returns its receipt; fails after <paramref name="timeout"/>.</summary>
    public async Task<TransactionReceipt> WaitForReceiptAsync(string transactionHash, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var limit = timeout;
        var started = _clock.GetTimestamp();
        while (true)
        {
            if (await GetReceiptAsync(transactionHash, cancellationToken) is { } receipt)
            {
                return receipt;
            }

            if (_clock.GetElapsedTime(started) > limit)
            {
                throw new TimeoutException($"Transaction {transactionHash} was not mined within {limit} (is mining off?).");
            }

            await Task.Delay(ReceiptPollInterval, _clock, cancellationToken);
        }
    }

    /// <summary>eth_getLogs with a filter object as given; returns the raw result.</summary>
    public async Task<JsonArray> GetLogsRawAsync(JsonObject filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return await RequestAsync("eth_getLogs", [filter.DeepClone()], cancellationToken) as JsonArray ?? [];
    }

    /// <summary>
    /// eth_getLogs over blocks <paramref name="fromBlock"/>..<paramref name="toBlock"/>, of <paramref name="address"/> if
    /// given, with topic0 <paramref name="topic0"/> if given.
    /// </summary>
    public async Task<IReadOnlyList<ChainLog>> GetLogsAsync(long fromBlock, long toBlock, string? address, string? topic0, CancellationToken cancellationToken)
    {
        var filter = new JsonObject { ["fromBlock"] = Hex.Quantity(fromBlock), ["toBlock"] = Hex.Quantity(toBlock) };
        if (address is not null)
        {
            filter["address"] = address;
        }

        if (topic0 is not null)
        {
            filter["topics"] = new JsonArray(topic0);
        }

        var logs = await GetLogsRawAsync(filter, cancellationToken);
        return [.. logs.Select(log => ChainLog.Parse(log!))];
    }

    public void Dispose() => _http.Dispose();

    private async Task<string> RequestTextAsync(string method, JsonArray parameters, CancellationToken cancellationToken) =>
        (await RequestAsync(method, parameters, cancellationToken))?.GetValue<string>()
        ?? throw new FormatException($"{method} answered null.");
}
