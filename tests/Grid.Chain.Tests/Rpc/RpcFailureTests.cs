using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Grid.Chain.Primitives;
using Grid.Chain.Rpc;
using Grid.Chain.Tests.Support;
using Xunit;

namespace Grid.Chain.Tests.Rpc;

/// <summary>How the client reads a provider's failures, against a real HTTP server that answers as each test scripts.</summary>
public sealed class RpcFailureTests : IDisposable
{
    private static readonly LogFilter WideRange = new(0, 100_000, [], []);

    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task A_429_with_retry_after_is_retried_after_the_wait_asked_for()
    {
        await using var server = await ScriptedRpcServer.StartAsync(request =>
            request.Number == 1 ? ScriptedReply.Http(429, retryAfter: "1") : ScriptedReply.Result(request, "0x7a69"));

        var chainId = await Client(server, Fast(o => { o.BaseDelay = TimeSpan.FromMilliseconds(1); o.MaxDelay = TimeSpan.FromSeconds(5); }))
            .GetChainIdAsync(CancellationToken.None);

        Assert.Equal(31337UL, chainId);
        var requests = server.Requests;
        Assert.Equal(2, requests.Count);

        // The backoff alone would have retried after about a millisecond.
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(900), $"retried after {requests[1].ReceivedAt - requests[0].ReceivedAt}");
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_max_delay_waits_only_the_max_delay()
    {
        await using var server = await ScriptedRpcServer.StartAsync(request =>
            request.Number == 1 ? ScriptedReply.Http(429, retryAfter: "3600") : ScriptedReply.Result(request, "0x10"));
        var watch = Stopwatch.StartNew();

        Assert.Equal(16UL, await Client(server).GetBlockNumberAsync(CancellationToken.None));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Two_503s_then_an_answer_succeed()
    {
        await using var server = await ScriptedRpcServer.StartAsync(request =>
            request.Number <= 2 ? ScriptedReply.Http(503) : ScriptedReply.Result(request, "0x2a"));

        Assert.Equal(42UL, await Client(server).GetBlockNumberAsync(CancellationToken.None));
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task A_node_that_stays_unavailable_fails_after_max_attempts()
    {
        await using var server = await ScriptedRpcServer.StartAsync(_ => ScriptedReply.Http(503));

        var error = await Assert.ThrowsAsync<ChainRpcException>(() => Client(server, Fast(o => o.MaxAttempts = 4)).GetBlockNumberAsync(CancellationToken.None));

        Assert.Equal(RpcFailureKind.Unavailable, error.Kind);
        Assert.True(error.IsRetryable);
        Assert.Equal(4, server.Requests.Count);
        Assert.Contains("4 attempts", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Endpoint.AbsolutePath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_that_is_not_listening_is_unavailable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var client = new EthereumRpcClient(_http, new Uri($"http://127.0.0.1:{port}/"), Fast(o => o.MaxAttempts = 2), TimeProvider.System);

        var error = await Assert.ThrowsAsync<ChainRpcException>(() => client.GetChainIdAsync(CancellationToken.None));

        Assert.Equal(RpcFailureKind.Unavailable, error.Kind);
        Assert.Contains("2 attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_that_answers_too_slowly_times_out_on_each_attempt()
    {
        await using var server = await ScriptedRpcServer.StartAsync(request =>
            ScriptedReply.Result(request, "0x1") with { Delay = TimeSpan.FromSeconds(60) });

        // Two seconds an attempt: long enough that each request is surely read (and recorded) on a loaded machine.
        var error = await Assert.ThrowsAsync<ChainRpcException>(() =>
            Client(server, Fast(o => { o.MaxAttempts = 2; o.RequestTimeout = TimeSpan.FromSeconds(2); })).GetChainIdAsync(CancellationToken.None));

        Assert.Equal(RpcFailureKind.Timeout, error.Kind);
        Assert.True(error.IsRetryable);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task The_callers_cancellation_is_a_cancellation_not_a_failure()
    {
        await using var server = await ScriptedRpcServer.StartAsync(request =>
            ScriptedReply.Result(request, "0x1") with { Delay = TimeSpan.FromSeconds(10) });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client(server).GetChainIdAsync(cancellation.Token));

        // No retry after the caller gave up (on a loaded machine the one request may not even have arrived).
        await Task.Delay(100);
        Assert.InRange(server.Requests.Count, 0, 1);
    }

    // What providers answer to an eth_getLogs range they will not serve (see RpcErrorClassifier).
    public static TheoryData<int, string, int> RangeErrors => new()
    {
        { -32005, "query returned more than 10000 results", 200 },
        { -32005, "query returned more than 10000 results. Try with this block range [0xBDE5F8, 0x102DBCC].", 200 },
        { -32005, "query timeout exceeded", 200 },
        { -32005, "Maximum allowed number of requested blocks is 1000", 200 },
        { -32602, "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response.", 200 },
        { -32602, "range 1000000 exceeds limit of 10000", 200 },
        { -32602, "query exceeds max block range 100000", 200 },
        { -32602, "query exceeds max results 20000, retry with the range 23879634-23879696", 200 },
        { -32614, "eth_getLogs is limited to a 10,000 range", 200 },
        { -32614, "eth_getLogs is limited to a 10,000 range", 413 },
        { -32600, "eth_getLogs block range too large, range: 100001, max: 10000", 200 },
        { -32603, "eth_getLogs range is too large, max is 1k blocks", 200 },
        { -32000, "block range is too wide", 200 },
        { -32000, "block range is larger than max block range, block range = 5120, max block range = 5000", 200 },
        { -32000, "exceed maximum block range: 5000", 200 },
        { 35, "ranges over 10000 blocks are not supported on freetier", 200 },
    };

    [Theory]
    [MemberData(nameof(RangeErrors))]
    public async Task Range_errors_are_thrown_at_once_without_retry(int code, string message, int status)
    {
        var data = new JsonObject { ["from"] = "0x0", ["to"] = "0x2710", ["limit"] = 10000 };
        await using var server = await ScriptedRpcServer.StartAsync(request => ScriptedReply.Error(request, code, message, data, status));

        var error = await Assert.ThrowsAsync<ChainRpcException>(() => Client(server).GetLogsAsync(WideRange, CancellationToken.None));

        Assert.Equal(RpcFailureKind.RangeTooLarge, error.Kind);
        Assert.False(error.IsRetryable);
        Assert.Single(server.Requests);
        if (status == 200)
        {
            Assert.Equal(code, error.Code);
            Assert.Contains("\"to\":\"0x2710\"", error.Data, StringComparison.Ordinal);
            Assert.Contains(message[..20], error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_answer_past_the_most_read_is_a_range_too_large_not_read_whole()
    {
        // A node or proxy with no limits of its own: 33 MiB of logs (here one long value) for one range.
        var huge = new string('a', (int)Grid.Chain.Rpc.Transport.RpcHttpTransport.MaxAnswerBytes + (1024 * 1024));
        await using var server = await ScriptedRpcServer.StartAsync(request => ScriptedReply.Result(request, JsonValue.Create(huge)));

        var error = await Assert.ThrowsAsync<ChainRpcException>(() => Client(server).GetLogsAsync(WideRange, CancellationToken.None));

        Assert.Equal(RpcFailureKind.RangeTooLarge, error.Kind); // the scan shrinks its range
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_413_without_a_body_is_a_range_too_large()
    {
        await using var server = await ScriptedRpcServer.StartAsync(_ => ScriptedReply.Http(413));

        var error = await Assert.ThrowsAsync<ChainRpcException>(() => Client(server).GetLogsAsync(WideRange, CancellationToken.None));

        Assert.Equal(RpcFailureKind.RangeTooLarge, error.Kind);
        Assert.Null(error.Code);
        Assert.Single(server.Requests);
    }

    public static TheoryData<int, string> RateLimitErrors => new()
    {
        { 429, "Your app has exceeded its compute units per second capacity. If you have retries enabled, you can safely ignore this message." },
        { -32005, "daily request count exceeded, request rate limited" },
        { -32005, "project ID request rate exceeded" },
        { -32012, "credits limited to 6000/sec" },
        { -32016, "over rate limit" },
        { -32000, "Too Many Requests" },
    };

    [Theory]
    [MemberData(nameof(RateLimitErrors))]
    public async Task Rate_limit_errors_in_the_body_are_retried(int code, string message)
    {
        await using var server = await ScriptedRpcServer.StartAsync(request =>
            request.Number == 1 ? ScriptedReply.Error(request, code, message) : ScriptedReply.Result(request, new JsonArray()));

        Assert.Empty(await Client(server).GetLogsAsync(WideRange, CancellationToken.None));
        Assert.Equal(2, server.Requests.Count);
    }

    public static TheoryData<int, string, string?> RejectedErrors => new()
    {
        { 3, "execution reverted", "0x" },
        { 3, "execution reverted: ERC20: transfer amount exceeds balance", "0x08c379a00000000000000000000000000000000000000000000000000000000000000020" },
        { -32000, "execution reverted: index out of range", null },
        { -32000, "execution reverted: too many requests", null },
        { -32601, "Method not found", null },
        { -32602, "invalid argument 0: hex string without 0x prefix", null },
        { -32000, "header not found", null },
    };

    [Theory]
    [MemberData(nameof(RejectedErrors))]
    public async Task Other_json_rpc_errors_are_rejected_at_once(int code, string message, string? data)
    {
        await using var server = await ScriptedRpcServer.StartAsync(request => ScriptedReply.Error(request, code, message, data is null ? null : JsonValue.Create(data)));

        var error = await Assert.ThrowsAsync<ChainRpcException>(() => Client(server).GetLogsAsync(WideRange, CancellationToken.None));

        Assert.Equal(RpcFailureKind.Rejected, error.Kind);
        Assert.Equal(code, error.Code);
        Assert.Equal(data, error.Data);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_json_rpc_error_sent_with_a_4xx_status_is_read()
    {
        await using var server = await ScriptedRpcServer.StartAsync(request => ScriptedReply.Error(request, -32602, "invalid params", status: 400));

        var error = await Assert.ThrowsAsync<ChainRpcException>(() => Client(server).GetChainIdAsync(CancellationToken.None));

        Assert.Equal(RpcFailureKind.Rejected, error.Kind);
        Assert.Equal(-32602, error.Code);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_4xx_without_a_json_rpc_body_is_rejected()
    {
        await using var server = await ScriptedRpcServer.StartAsync(_ => new ScriptedReply(401, "{\"message\":\"invalid project id\"}"));

        var error = await Assert.ThrowsAsync<ChainRpcException>(() => Client(server).GetChainIdAsync(CancellationToken.None));

        Assert.Equal(RpcFailureKind.Rejected, error.Kind);
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("not an object")]
    [InlineData("not json-rpc 2.0")]
    [InlineData("no version")]
    [InlineData("another id")]
    [InlineData("no id")]
    [InlineData("neither result nor error")]
    [InlineData("error without a code")]
    [InlineData("result of the wrong type")]
    [InlineData("result that is not hex")]
    public async Task Answers_that_are_not_json_rpc_are_malformed(string shape)
    {
        await using var server = await ScriptedRpcServer.StartAsync(request => shape switch
        {
            "not json" => new ScriptedReply(200, "<html><body>502 Bad Gateway</body></html>"),
            "not an object" => new ScriptedReply(200, "[]"),
            "not json-rpc 2.0" => ScriptedReply.Json(new JsonObject { ["jsonrpc"] = "1.0", ["id"] = request.Id, ["result"] = "0x1" }),
            "no version" => ScriptedReply.Json(new JsonObject { ["id"] = request.Id, ["result"] = "0x1" }),
            "another id" => ScriptedReply.Json(ScriptedReply.Answer(request.Id!.GetValue<long>() + 1, "0x1")),
            "no id" => ScriptedReply.Json(ScriptedReply.Answer(null, "0x1")),
            "neither result nor error" => ScriptedReply.Json(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = request.Id }),
            "error without a code" => ScriptedReply.Json(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = request.Id, ["error"] = new JsonObject { ["message"] = "?" } }),
            "result of the wrong type" => ScriptedReply.Result(request, 1),
            _ => ScriptedReply.Result(request, "0xzz"),
        });

        var error = await Assert.ThrowsAsync<ChainRpcException>(() => Client(server).GetChainIdAsync(CancellationToken.None));

        Assert.Equal(RpcFailureKind.Malformed, error.Kind);
        Assert.False(error.IsRetryable);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_block_with_a_bad_hash_is_malformed()
    {
        await using var server = await ScriptedRpcServer.StartAsync(request =>
        {
            var block = Block(7);
            block["hash"] = "0x1234";
            return ScriptedReply.Result(request, block);
        });

        var error = await Assert.ThrowsAsync<ChainRpcException>(() => Client(server).GetBlockAsync(BlockTag.Number(7), CancellationToken.None));

        Assert.Equal(RpcFailureKind.Malformed, error.Kind);
    }

    [Theory]
    [InlineData("0x")]
    [InlineData("0x0")]
    [InlineData("0x00ff")]
    [InlineData("not hex")]
    public async Task A_block_with_a_garbled_logs_bloom_is_read_without_a_bloom(string bloom)
    {
        await using var server = await ScriptedRpcServer.StartAsync(request =>
        {
            var block = Block(7);
            block["logsBloom"] = bloom;
            return ScriptedReply.Result(request, block);
        });

        var read = await Client(server).GetBlockAsync(BlockTag.Number(7), CancellationToken.None);

        Assert.Equal(7UL, read!.Number);
        Assert.Null(read.LogsBloom);
    }

    [Fact]
    public async Task A_block_other_than_the_one_asked_for_is_malformed()
    {
        await using var server = await ScriptedRpcServer.StartAsync(request => ScriptedReply.Result(request, Block(8)));

        var error = await Assert.ThrowsAsync<ChainRpcException>(() => Client(server).GetBlockAsync(BlockTag.Number(7), CancellationToken.None));

        Assert.Equal(RpcFailureKind.Malformed, error.Kind);
    }

    [Fact]
    public async Task A_batch_answered_out_of_order_is_matched_by_id()
    {
        await using var server = await ScriptedRpcServer.StartAsync(request => Batch(request, answers => answers.Reverse()));
        ulong[] numbers = [10, 3, 7, 99];

        var blocks = await Client(server).GetBlocksAsync(numbers, CancellationToken.None);

        Assert.Equal(numbers, blocks.Select(block => block!.Number));
        Assert.Equal(Hash32.Parse(BlockHash(9)), blocks[0]!.ParentHash);
        var request = Assert.Single(server.Requests);
        Assert.Equal(4, request.Calls.Count);
        Assert.Equal(4, request.Calls.Select(call => call["id"]!.GetValue<long>()).Distinct().Count());
        Assert.All(request.Calls, call => Assert.Equal("eth_getBlockByNumber", call["method"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_batch_with_null_results_gives_nulls_in_place()
    {
        await using var server = await ScriptedRpcServer.StartAsync(request => ScriptedReply.Json(new JsonArray(
            [.. request.Calls.Select(call => ScriptedReply.Answer(call["id"], Number(call) == 5 ? null : Block(Number(call))))])));

        var blocks = await Client(server).GetBlocksAsync([4, 5, 6], CancellationToken.None);

        Assert.Equal(4UL, blocks[0]!.Number);
        Assert.Null(blocks[1]);
        Assert.Equal(6UL, blocks[2]!.Number);
    }

    [Fact]
    public async Task Long_lists_are_sent_in_batches_of_the_batch_size()
    {
        await using var server = await ScriptedRpcServer.StartAsync(request => Batch(request, answers => answers));
        var numbers = Enumerable.Range(1, 7).Select(n => (ulong)n).ToArray();

        var blocks = await Client(server, Fast(o => o.MaxBatchSize = 3)).GetBlocksAsync(numbers, CancellationToken.None);

        Assert.Equal(numbers, blocks.Select(block => block!.Number));
        Assert.Equal([3, 3, 1], server.Requests.Select(request => request.Calls.Count));
        var ids = server.Requests.SelectMany(request => request.Calls).Select(call => call["id"]!.GetValue<long>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [InlineData("one answer missing")]
    [InlineData("an answer without id")]
    [InlineData("an id not asked")]
    [InlineData("an id answered twice")]
    [InlineData("a single result")]
    public async Task A_batch_whose_ids_do_not_match_is_malformed(string shape)
    {
        await using var server = await ScriptedRpcServer.StartAsync(request => shape switch
        {
            "one answer missing" => Batch(request, answers => answers.Skip(1)),
            "an answer without id" => Batch(request, answers => answers.Select((answer, i) => i == 1 ? Without(answer, "id") : answer)),
            "an id not asked" => Batch(request, answers => answers.Select((answer, i) => i == 1 ? With(answer, "id", 999_999) : answer)),
            "an id answered twice" => Batch(request, answers => answers.Append(answers.First().DeepClone().AsObject())),
            _ => ScriptedReply.Json(ScriptedReply.Answer(request.Calls[0]["id"], Block(1))),
        });

        var error = await Assert.ThrowsAsync<ChainRpcException>(() => Client(server).GetBlocksAsync([1, 2, 3], CancellationToken.None));

        Assert.Equal(RpcFailureKind.Malformed, error.Kind);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_batch_refused_with_one_rate_limit_error_is_retried()
    {
        await using var server = await ScriptedRpcServer.StartAsync(request => request.Number == 1
            ? ScriptedReply.Json(ScriptedReply.ErrorObject(null, 429, "Your app has exceeded its compute units per second capacity."))
            : Batch(request, answers => answers));

        var blocks = await Client(server).GetBlocksAsync([1, 2], CancellationToken.None);

        Assert.Equal([1UL, 2UL], blocks.Select(block => block!.Number));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_batch_refused_with_one_other_error_is_rejected_at_once()
    {
        await using var server = await ScriptedRpcServer.StartAsync(_ =>
            ScriptedReply.Json(ScriptedReply.ErrorObject(null, -32600, "batch requests are not supported")));

        var error = await Assert.ThrowsAsync<ChainRpcException>(() => Client(server).GetBlocksAsync([1, 2], CancellationToken.None));

        Assert.Equal(RpcFailureKind.Rejected, error.Kind);
        Assert.Equal(-32600, error.Code);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_batch_with_one_call_rate_limited_is_retried_whole()
    {
        await using var server = await ScriptedRpcServer.StartAsync(request => request.Number == 1
            ? Batch(request, answers => answers.Select((answer, i) => i == 1 ? ScriptedReply.ErrorObject(answer["id"], -32005, "request rate limited") : answer))
            : Batch(request, answers => answers));

        var blocks = await Client(server).GetBlocksAsync([1, 2, 3], CancellationToken.None);

        Assert.Equal([1UL, 2UL, 3UL], blocks.Select(block => block!.Number));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Requests_are_json_rpc_2_with_the_parameters_spelt_as_nodes_expect()
    {
        await using var server = await ScriptedRpcServer.StartAsync(request => ScriptedReply.Result(
            request,
            request.Calls[0]["method"]!.GetValue<string>() == "eth_getLogs" ? new JsonArray() : "0x"));
        var client = Client(server);
        var token = Grid.Chain.Addresses.EthereumAddress.Parse("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");
        var topic = Hash32.Parse("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");

        await client.GetLogsAsync(new LogFilter(16, 100_000, [token], [[topic], null]), CancellationToken.None);
        await client.CallAsync(token, new byte[] { 0x31, 0x3c, 0xe5, 0x67 }, BlockTag.Finalized, CancellationToken.None);

        var logs = server.Requests[0].Body!.AsObject();
        Assert.Equal("2.0", logs["jsonrpc"]!.GetValue<string>());
        Assert.Equal(
            """[{"fromBlock":"0x10","toBlock":"0x186a0","address":["0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"],"topics":[["0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"],null]}]""",
            logs["params"]!.ToJsonString());
        var call = server.Requests[1].Body!.AsObject();
        Assert.Equal("eth_call", call["method"]!.GetValue<string>());
        Assert.Equal("""[{"to":"0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48","data":"0x313ce567"},"finalized"]""", call["params"]!.ToJsonString());
        Assert.NotEqual(logs["id"]!.GetValue<long>(), call["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_log_filter_running_backwards_is_refused()
    {
        var client = new EthereumRpcClient(_http, new Uri("http://127.0.0.1:1/"), Fast(), TimeProvider.System);
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetLogsAsync(new LogFilter(10, 9, [], []), CancellationToken.None));
    }

    [Fact]
    public void Options_out_of_range_are_refused()
    {
        var endpoint = new Uri("http://127.0.0.1:1/");
        Assert.Throws<ArgumentException>(() => new EthereumRpcClient(_http, endpoint, Fast(o => o.MaxAttempts = 0), TimeProvider.System));
        Assert.Throws<ArgumentException>(() => new EthereumRpcClient(_http, endpoint, Fast(o => o.MaxBatchSize = 0), TimeProvider.System));
        Assert.Throws<ArgumentException>(() => new EthereumRpcClient(_http, endpoint, Fast(o => o.RequestTimeout = TimeSpan.Zero), TimeProvider.System));
        Assert.Throws<ArgumentException>(() => new EthereumRpcClient(_http, endpoint, Fast(o => { o.MaxDelay = TimeSpan.Zero; o.BaseDelay = TimeSpan.FromSeconds(1); }), TimeProvider.System));
        Assert.Throws<ArgumentException>(() => new EthereumRpcClient(_http, new Uri("ws://127.0.0.1:1/"), Fast(), TimeProvider.System));
    }

    // Tiny delays, so retries cost the tests little time.
    private static EthereumRpcOptions Fast(Action<EthereumRpcOptions>? change = null)
    {
        var options = new EthereumRpcOptions
        {
            MaxAttempts = 3,
            BaseDelay = TimeSpan.FromMilliseconds(1),
            MaxDelay = TimeSpan.FromMilliseconds(20),
            RequestTimeout = TimeSpan.FromSeconds(10),
        };
        change?.Invoke(options);
        return options;
    }

    private EthereumRpcClient Client(ScriptedRpcServer server, EthereumRpcOptions? options = null) =>
        new(_http, server.Endpoint, options ?? Fast(), TimeProvider.System);

    private static ulong Number(JsonObject call) => HexQuantity.ParseUInt64(call["params"]![0]!.GetValue<string>());

    private static string BlockHash(ulong number) => "0x" + number.ToString("x64", System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject Block(ulong number) => new()
    {
        ["number"] = HexQuantity.Encode(number),
        ["hash"] = BlockHash(number),
        ["parentHash"] = BlockHash(number - 1),
        ["timestamp"] = HexQuantity.Encode(1_700_000_000 + (number * 12)),
        ["miner"] = "0x0000000000000000000000000000000000000000",
        ["transactions"] = new JsonArray(),
    };

    // Answers every call of a batch with its block, then lets the test reorder or spoil the answers.
    private static ScriptedReply Batch(RecordedRequest request, Func<IEnumerable<JsonObject>, IEnumerable<JsonObject>> shape)
    {
        var answers = request.Calls.Select(call => ScriptedReply.Answer(call["id"], Block(Number(call)))).ToList();
        return ScriptedReply.Json(new JsonArray([.. shape(answers)]));
    }

    private static JsonObject Without(JsonObject answer, string name)
    {
        var copy = answer.DeepClone().AsObject();
        copy.Remove(name);
        return copy;
    }

    private static JsonObject With(JsonObject answer, string name, JsonNode value)
    {
        var copy = answer.DeepClone().AsObject();
        copy[name] = value;
        return copy;
    }
}
