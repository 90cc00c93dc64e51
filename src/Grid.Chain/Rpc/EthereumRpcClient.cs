using System.Globalization;
using System.Text.Json;
using Grid.Chain.Addresses;
using Grid.Chain.Primitives;
using Grid.Chain.Rpc.Json;
using Grid.Chain.Rpc.Transport;
using Polly;
using Polly.Timeout;

namespace Grid.Chain.Rpc;

/// <summary>
/// An <see cref="IEthereumRpc"/> over HTTP JSON-RPC 2.0, with retries and per-attempt timeouts as
/// <see cref="EthereumRpcOptions"/> say. The <see cref="HttpClient"/> is the caller's (and stays theirs to
/// dispose). Safe for concurrent use.
/// </summary>
public sealed class EthereumRpcClient : IEthereumRpc
{
    private const string BlockBatchMethod = "eth_getBlockByNumber (batch)";

    private readonly RpcHttpTransport _transport;
    private readonly EthereumRpcOptions _options;
    private readonly ResiliencePipeline _pipeline;
    private long _lastId;

    public EthereumRpcClient(HttpClient http, Uri endpoint, EthereumRpcOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            // The endpoint itself is not quoted: provider URLs carry API keys.
            throw new ArgumentException("The JSON-RPC endpoint must be an absolute http or https URL.", nameof(endpoint));
        }

        options.Validate();

        // A copy: later changes to the caller's instance must not change a client already in use.
        _options = options.Copy();
        _transport = new RpcHttpTransport(http, endpoint, time);
        _pipeline = RpcResiliencePipeline.Create(_options, time);
    }

    public Task<ulong> GetChainIdAsync(CancellationToken cancellationToken) =>
        SendAsync(RpcParams.ChainId(), RpcResultReader.Quantity, cancellationToken);

    public Task<ulong> GetBlockNumberAsync(CancellationToken cancellationToken) =>
        SendAsync(RpcParams.BlockNumber(), RpcResultReader.Quantity, cancellationToken);

    public async Task<ChainBlock?> GetBlockAsync(BlockTag tag, CancellationToken cancellationToken)
    {
        var call = RpcParams.BlockByNumber(tag);
        var block = await SendAsync(call, RpcResultReader.Block, cancellationToken);
        CheckNumber(block, tag.BlockNumber, call.Method);
        return block;
    }

    public async Task<IReadOnlyList<ChainBlock?>> GetBlocksAsync(IReadOnlyList<ulong> numbers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        var blocks = new ChainBlock?[numbers.Count];
        for (var offset = 0; offset < numbers.Count; offset += _options.MaxBatchSize)
        {
            var count = Math.Min(_options.MaxBatchSize, numbers.Count - offset);
            var ids = NextIds(count);
            var calls = new RpcCall[count];
            for (var i = 0; i < count; i++)
            {
                calls[i] = RpcParams.BlockByNumber(BlockTag.Number(numbers[offset + i]));
            }

            var body = RpcRequestWriter.Batch(ids, calls);
            var batch = await ExecuteAsync(
                async token =>
                {
                    using var document = await _transport.PostAsync(body, BlockBatchMethod, token);
                    var results = RpcResponseReader.Batch(document.RootElement, ids, BlockBatchMethod);
                    return Array.ConvertAll(results, result => RpcResultReader.Read(result, RpcResultReader.Block, BlockBatchMethod));
                },
                BlockBatchMethod,
                cancellationToken);
            for (var i = 0; i < count; i++)
            {
                CheckNumber(batch[i], numbers[offset + i], BlockBatchMethod);
                blocks[offset + i] = batch[i];
            }
        }

        return blocks;
    }

    public Task<IReadOnlyList<ChainLog>> GetLogsAsync(LogFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(filter.Addresses);
        ArgumentNullException.ThrowIfNull(filter.Topics);
        if (filter.FromBlock > filter.ToBlock)
        {
            throw new ArgumentException($"The log filter runs from block {filter.FromBlock} to the earlier block {filter.ToBlock}.", nameof(filter));
        }

        return SendAsync(RpcParams.Logs(filter), RpcResultReader.Logs, cancellationToken);
    }

    public Task<TransactionReceipt?> GetTransactionReceiptAsync(Hash32 transactionHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transactionHash);
        return SendAsync(RpcParams.TransactionReceipt(transactionHash), RpcResultReader.Receipt, cancellationToken);
    }

    public Task<IReadOnlyList<TransactionReceipt>?> GetBlockReceiptsAsync(Hash32 blockHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blockHash);
        return SendAsync(RpcParams.BlockReceipts(blockHash), RpcResultReader.Receipts, cancellationToken);
    }

    public Task<byte[]> CallAsync(EthereumAddress to, ReadOnlyMemory<byte> data, BlockTag tag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(to);
        return SendAsync(RpcParams.Call(to, data, tag), RpcResultReader.Data, cancellationToken);
    }

    // A node that answers with another block than the one asked for is not to be believed about either.
    private static void CheckNumber(ChainBlock? block, ulong? asked, string method)
    {
        if (block is not null && asked is { } number && block.Number != number)
        {
            throw RpcErrorClassifier.Malformed(
                method,
                $"asked for block {number.ToString(CultureInfo.InvariantCulture)}, it gave block {block.Number.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    private Task<T> SendAsync<T>(RpcCall call, Func<JsonElement, T> reader, CancellationToken cancellationToken)
    {
        var id = NextIds(1)[0];
        var body = RpcRequestWriter.Single(id, call);
        return ExecuteAsync(
            async token =>
            {
                using var document = await _transport.PostAsync(body, call.Method, token);
                var result = RpcResponseReader.Single(document.RootElement, id, call.Method);
                return RpcResultReader.Read(result, reader, call.Method);
            },
            call.Method,
            cancellationToken);
    }

    private async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> attempt, string method, CancellationToken cancellationToken)
    {
        var attempts = 0;
        try
        {
            return await _pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    return await attempt(token);
                },
                cancellationToken);
        }
        catch (TimeoutRejectedException e)
        {
            throw new ChainRpcException(
                RpcFailureKind.Timeout,
                $"{method}: no answer within {_options.RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s ({Attempts(attempts)}).",
                innerException: e);
        }
        catch (ChainRpcException e) when (e.IsRetryable && attempts > 1)
        {
            throw new ChainRpcException(e.Kind, $"{e.Message} ({Attempts(attempts)})", e.Code, e.Data, e) { RetryAfter = e.RetryAfter };
        }
    }

    private static string Attempts(int attempts) =>
        attempts == 1 ? "1 attempt" : $"gave up after {attempts.ToString(CultureInfo.InvariantCulture)} attempts";

    private long[] NextIds(int count)
    {
        var last = Interlocked.Add(ref _lastId, count);
        var ids = new long[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = last - count + 1 + i;
        }

        return ids;
    }
}
