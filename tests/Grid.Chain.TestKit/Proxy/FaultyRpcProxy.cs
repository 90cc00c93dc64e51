using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grid.Chain.TestKit.Rpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grid.Chain.TestKit.Proxy;

/// <summary>
/// An HTTP proxy in front of a JSON-RPC endpoint that behaves like a hosted provider on a bad day: eth_getLogs over
/// more than <see cref="MaxLogBlockRange"/> blocks gets a provider's range error, every
/// <see cref="RateLimitEvery"/>-th request gets HTTP 429, <see cref="FailNext"/> fails the next requests with a
/// status, <see cref="HoldNextLogAnswer"/> keeps one eth_getLogs answer back, <see cref="GateLogRequests"/> holds
/// reads of logs from a block on, <see cref="RefuseLogReads"/> fails reads that reach a block, <see cref="LagLogs"/>
/// leaves the logs of recent blocks out of range reads, <see cref="HoldHeadAt"/> answers as a backend behind the chain,
/// <see cref="RepeatLogs"/> repeats every log of a log answer, an answer of more than <see cref="MaxLogsPerAnswer"/>
/// logs (a range or one block) is Infura's "more than 10000 results" error, and a dead upstream gives 502.
/// Everything else, single requests and batches, is forwarded as is. The knobs can be turned at any time, and
/// counters show what was served.
/// </summary>
public sealed class FaultyRpcProxy : IAsyncDisposable
{
    /// <summary>Alchemy's words for an eth_getLogs it will not serve.</summary>
    public const string AlchemyRangeMessage =
        "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response.";

    /// <summary>Infura's words for an eth_getLogs it will not serve.</summary>
    public const string InfuraRangeMessage = "query returned more than 10000 results";

    private readonly Lock _lock = new();
    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new() { Timeout = TimeSpan.FromSeconds(30) };

    private long? _maxLogBlockRange;
    private LogRangeErrorStyle _rangeErrorStyle;
    private int? _rateLimitEvery;
    private long _sinceRateLimitSet;
    private int _failuresLeft;
    private HttpStatusCode _failureStatus;
    private int _contractCallFailuresLeft;
    private LogAnswerHold? _logHold;
    private LogRequestGate? _logGate;
    private LogReadRefusal? _logRefusal;
    private LogsLag? _logsLag;
    private HeadLag? _headLag;
    private bool _repeatLogs;
    private int? _maxLogsPerAnswer;
    private long? _chainIdAnswer;
    private long _chainIdsAltered;

    private long _requestsReceived;
    private long _requestsForwarded;
    private long _rangeErrorsServed;
    private long _rateLimitsServed;
    private long _failuresServed;
    private long _badGatewaysServed;

    private FaultyRpcProxy(Uri upstream, WebApplication app)
    {
        Upstream = upstream;
        _app = app;
    }

    public Uri Upstream { get; }

    /// <summary>The proxy's own endpoint, to give the client under test.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>eth_getLogs over more blocks than this (inclusive count) is refused with a range error; null serves any range.</summary>
    public long? MaxLogBlockRange
    {
        get { lock (_lock) { return _maxLogBlockRange; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value ?? 1);
            lock (_lock) { _maxLogBlockRange = value; }
        }
    }

    /// <summary>Whose wording the range error has.</summary>
    public LogRangeErrorStyle RangeErrorStyle
    {
        get { lock (_lock) { return _rangeErrorStyle; } }
        set { lock (_lock) { _rangeErrorStyle = value; } }
    }

    /// <summary>
    /// Every k-th HTTP request counted from when this is set (requests taken by <see cref="FailNext"/> not counted) is
    /// answered 429 with <c>Retry-After: 0</c>; null turns it off.
    /// </summary>
    public int? RateLimitEvery
    {
        get { lock (_lock) { return _rateLimitEvery; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value ?? 1);
            lock (_lock)
            {
                _rateLimitEvery = value;
                _sinceRateLimitSet = 0;
            }
        }
    }

    /// <summary>HTTP requests that arrived.</summary>
    public long RequestsReceived => Interlocked.Read(ref _requestsReceived);

    /// <summary>HTTP requests passed on to the upstream and answered by it (a batch counts once).</summary>
    public long RequestsForwarded => Interlocked.Read(ref _requestsForwarded);

    /// <summary>Range errors served, one per refused eth_getLogs (several in one batch count each).</summary>
    public long RangeErrorsServed => Interlocked.Read(ref _rangeErrorsServed);

    /// <summary>429 answers served.</summary>
    public long RateLimitsServed => Interlocked.Read(ref _rateLimitsServed);

    /// <summary>Answers served by <see cref="FailNext"/>.</summary>
    public long FailuresServed => Interlocked.Read(ref _failuresServed);

    /// <summary>502 answers served because the upstream could not be reached.</summary>
    public long BadGatewaysServed => Interlocked.Read(ref _badGatewaysServed);

    /// <summary>Starts the proxy on a free 127.0.0.1 port in front of <paramref name="upstream"/>.</summary>
    public static async Task<FaultyRpcProxy> StartAsync(Uri upstream, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var proxy = new FaultyRpcProxy(upstream, app);
        app.Run(proxy.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        proxy.Url = new Uri(address.TrimEnd('/') + "/");
        return proxy;
    }

    /// <summary>Answers the next <paramref name="count"/> HTTP requests with <paramref name="status"/> instead of forwarding them.</summary>
    public void FailNext(int count, HttpStatusCode status)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock)
        {
            _failuresLeft = count;
            _failureStatus = status;
        }
    }

    /// <summary>
    /// Answers the next <paramref name="count"/> single eth_call requests with a node error that is no revert (-32000
    /// "header not found", as a node behind a load balancer answers for a block it has not seen yet).
    /// </summary>
    public void FailContractCalls(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock)
        {
            _contractCallFailuresLeft = count;
        }
    }

    /// <summary>Keeps back the answer to the next request that asks for logs (eth_getLogs) until the hold is released.</summary>
    public LogAnswerHold HoldNextLogAnswer()
    {
        lock (_lock)
        {
            return _logHold = new LogAnswerHold();
        }
    }

    /// <summary>Holds every eth_getLogs request reading from <paramref name="fromBlock"/> or later until the gate is released.</summary>
    public LogRequestGate GateLogRequests(long fromBlock)
    {
        lock (_lock)
        {
            if (_logGate is { IsReleased: false })
            {
                throw new InvalidOperationException("A log request gate is already closed; release it first.");
            }

            return _logGate = new LogRequestGate(fromBlock);
        }
    }

    /// <summary>Fails every eth_getLogs request that reads <paramref name="fromBlock"/> or later, at once, until released.</summary>
    public LogReadRefusal RefuseLogReads(long fromBlock)
    {
        lock (_lock)
        {
            if (_logRefusal is { IsReleased: false })
            {
                throw new InvalidOperationException("Log reads are refused already; release that first.");
            }

            return _logRefusal = new LogReadRefusal(fromBlock);
        }
    }

    /// <summary>
    /// Leaves the logs of <paramref name="fromBlock"/> and later out of every eth_getLogs range answer until released;
    /// with <paramref name="blocksMissing"/>, reads of those blocks' logs by their hashes fail too.
    /// </summary>
    public LogsLag LagLogs(long fromBlock, bool blocksMissing = false)
    {
        lock (_lock)
        {
            if (_logsLag is { IsReleased: false })
            {
                throw new InvalidOperationException("Logs lag already; release that first.");
            }

            return _logsLag = new LogsLag(fromBlock, blocksMissing);
        }
    }

    /// <summary>Answers as a backend still at block <paramref name="head"/> (see <see cref="HeadLag"/>) until released.</summary>
    public HeadLag HoldHeadAt(long head)
    {
        lock (_lock)
        {
            if (_headLag is { IsReleased: false })
            {
                throw new InvalidOperationException("The head is held back already; release that first.");
            }

            return _headLag = new HeadLag(head);
        }
    }

    /// <summary>eth_chainId answers this id instead of the node's (a provider's endpoint moved to another network); null: the node's.</summary>
    public long? ChainIdAnswer
    {
        get { lock (_lock) { return _chainIdAnswer; } }
        set { lock (_lock) { _chainIdAnswer = value; } }
    }

    /// <summary>eth_chainId answers <see cref="ChainIdAnswer"/> changed.</summary>
    public long ChainIdsAltered => Interlocked.Read(ref _chainIdsAltered);

    /// <summary>Every eth_getLogs answer carries each of its logs twice, as some nodes' answers do.</summary>
    public bool RepeatLogs
    {
        get { lock (_lock) { return _repeatLogs; } }
        set { lock (_lock) { _repeatLogs = value; } }
    }

    /// <summary>An eth_getLogs answer with more logs than this, even for one block, is refused as hosted providers refuse it.</summary>
    public int? MaxLogsPerAnswer
    {
        get { lock (_lock) { return _maxLogsPerAnswer; } }
        set { lock (_lock) { _maxLogsPerAnswer = value; } }
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        Interlocked.Increment(ref _requestsReceived);
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(cancellationToken);
        if (RefusalFor(body) is { } refusal)
        {
            refusal.Hold.CountRefusal();
            await WriteAsync(context, HttpStatusCode.OK, "application/json", Refused(refusal.Request, refusal.Hold.FromBlock), cancellationToken);
            return;
        }

        if (GateFor(body) is { } gate)
        {
            await gate.WaitAsync(cancellationToken);
        }

        if (ContractCallToFail(body) is { } failedCall)
        {
            var notFound = new JsonObject
            {
                ["jsonrpc"] = "2.0",
                ["id"] = failedCall["id"]?.DeepClone(),
                ["error"] = new JsonObject { ["code"] = -32000, ["message"] = "header not found" },
            };
            await WriteAsync(context, HttpStatusCode.OK, "application/json", notFound.ToJsonString(), cancellationToken);
            return;
        }

        if (Active(ref _logsLag) is { BlocksMissing: true } missing && TryParse(body) is { } byHash
            && await ReadsMissingBlockAsync(byHash, missing, cancellationToken))
        {
            missing.CountRefusedBlockRead();
            await WriteAsync(context, HttpStatusCode.OK, "application/json", Refused(byHash, missing.FromBlock), cancellationToken);
            return;
        }

        HttpStatusCode? failure = null;
        bool rateLimited;
        long? maxRange;
        LogRangeErrorStyle style;
        lock (_lock)
        {
            if (_failuresLeft > 0)
            {
                _failuresLeft--;
                failure = _failureStatus;
            }

            rateLimited = failure is null && _rateLimitEvery is { } every && ++_sinceRateLimitSet % every == 0;
            maxRange = _maxLogBlockRange;
            style = _rangeErrorStyle;
        }

        if (failure is { } status)
        {
            Interlocked.Increment(ref _failuresServed);
            await WriteAsync(context, status, "text/plain", $"injected failure: {(int)status}", cancellationToken);
            return;
        }

        if (rateLimited)
        {
            Interlocked.Increment(ref _rateLimitsServed);
            context.Response.Headers.RetryAfter = "0";
            var tooMany = new JsonObject
            {
                ["jsonrpc"] = "2.0",
                ["id"] = null,
                ["error"] = new JsonObject { ["code"] = 429, ["message"] = "Too Many Requests: request rate limit exceeded." },
            };
            await WriteAsync(context, HttpStatusCode.TooManyRequests, "application/json", tooMany.ToJsonString(), cancellationToken);
            return;
        }

        try
        {
            if (maxRange is { } limit && TryParse(body) is { } request)
            {
                await ServeWithRangeLimitAsync(context, request, limit, style, cancellationToken);
                return;
            }

            var (upstreamStatus, upstreamBody) = await ForwardAsync(body, cancellationToken);
            if (LagFor(body) is { } lag)
            {
                upstreamBody = WithoutLaggingLogs(lag.Request, upstreamBody, lag.Hold);
            }

            if (Active(ref _headLag) is { } headLag && TryParse(body) is { } asked)
            {
                upstreamBody = BehindAt(asked, upstreamBody, headLag);
            }

            if (RepeatLogs && TryParse(body) is { } logRead)
            {
                upstreamBody = WithLogsRepeated(logRead, upstreamBody);
            }

            if (MaxLogsPerAnswer is { } most && TryParse(body) is { } cappedRead)
            {
                upstreamBody = WithLogCap(cappedRead, upstreamBody, most);
            }

            if (ChainIdAnswer is { } chainId && TryParse(body) is { } idRead)
            {
                upstreamBody = WithChainId(idRead, upstreamBody, chainId);
            }

            if (TakeLogHold(body) is { } hold)
            {
                await hold.WaitAsync(cancellationToken);
            }

            await WriteAsync(context, upstreamStatus, "application/json", upstreamBody, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            Interlocked.Increment(ref _badGatewaysServed);
            await WriteAsync(context, HttpStatusCode.BadGateway, "text/plain", $"upstream {Upstream} unreachable: {exception.Message}", cancellationToken);
        }
    }

    private LogRequestGate? GateFor(string body) =>
        Matching(Active(ref _logGate), body, static (gate, call) => LogsFromBlock(call) >= gate.FromBlock)?.Hold;

    private (LogReadRefusal Hold, JsonNode Request)? RefusalFor(string body) =>
        Matching(Active(ref _logRefusal), body, static (refusal, call) => ReadsUpTo(call) >= refusal.FromBlock);

    private (LogsLag Hold, JsonNode Request)? LagFor(string body) =>
        Matching(Active(ref _logsLag), body, static (_, call) => ReadsRange(call));

    private static bool ReadsRange(JsonNode call) =>
        call["method"] is JsonValue method && method.TryGetValue<string>(out var name) && name == "eth_getLogs"
        && call["params"] is JsonArray { Count: > 0 } parameters && parameters[0] is JsonObject filter && !filter.ContainsKey("blockHash");

    // The node's answer with the logs of lag.FromBlock and later taken out of the answers to range reads.
    private static string WithoutLaggingLogs(JsonNode request, string answer, LogsLag lag)
    {
        if (TryParse(answer) is not { } parsed)
        {
            return answer;
        }

        var calls = CallsOf(request).ToList();
        var rangeIds = calls.Where(ReadsRange).Select(call => call["id"]?.ToJsonString()).ToHashSet();
        var answers = parsed is JsonArray many ? many.Where(a => a is not null).Select(a => a!) : [parsed];
        foreach (var one in answers)
        {
            if (!rangeIds.Contains(one["id"]?.ToJsonString()) || one["result"] is not JsonArray logs)
            {
                continue;
            }

            if (calls.Any(call => ReadsRange(call) && ReadsUpTo(call) >= lag.FromBlock))
            {
                lag.MarkCaught();
            }

            foreach (var log in logs.Where(l => l?["blockNumber"] is JsonValue n && n.TryGetValue<string>(out var text) && BlockNumber(text) >= lag.FromBlock).ToList())
            {
                logs.Remove(log);
            }
        }

        return parsed.ToJsonString();
    }

    // The node's answer as a backend still at lag.Head would give it: that head, and no block after it.
    private static string BehindAt(JsonNode request, string answer, HeadLag lag)
    {
        answer = Rewritten(request, answer, "eth_blockNumber", (_, one) =>
        {
            one["result"] = "0x" + lag.Head.ToString("x", CultureInfo.InvariantCulture);
            lag.CountAnswer();
        });
        return Rewritten(request, answer, "eth_getBlockByNumber", (call, one) =>
        {
            if (call["params"] is JsonArray { Count: > 0 } parameters && parameters[0] is JsonValue tag
                && tag.TryGetValue<string>(out var text) && BlockNumber(text) > lag.Head)
            {
                one["result"] = null;
            }
        });
    }

    // The node's answer with eth_chainId answered as another network's.
    private string WithChainId(JsonNode request, string answer, long chainId) => Rewritten(request, answer, "eth_chainId", (_, one) =>
    {
        one["result"] = "0x" + chainId.ToString("x", CultureInfo.InvariantCulture);
        Interlocked.Increment(ref _chainIdsAltered);
    });

    // The node's answer with every log of an eth_getLogs result there twice, one right after the other.
    private static string WithLogsRepeated(JsonNode request, string answer) => Rewritten(request, answer, "eth_getLogs", (_, one) =>
    {
        if (one["result"] is JsonArray logs)
        {
            one["result"] = new JsonArray([.. logs.SelectMany(log => new[] { log?.DeepClone(), log?.DeepClone() })]);
        }
    });

    private string WithLogCap(JsonNode request, string answer, int most) => Rewritten(request, answer, "eth_getLogs", (_, one) =>
    {
        if (one["result"] is JsonArray { Count: var count } && count > most)
        {
            one.Remove("result");
            one["error"] = new JsonObject { ["code"] = -32005, ["message"] = InfuraRangeMessage };
            Interlocked.Increment(ref _rangeErrorsServed);
        }
    });

    // The answer with each successful answer to a call of `method` (in a batch or alone) passed to `rewrite` with its call.
    private static string Rewritten(JsonNode request, string answer, string method, Action<JsonNode, JsonObject> rewrite)
    {
        if (TryParse(answer) is not { } parsed)
        {
            return answer;
        }

        var calls = new Dictionary<string, JsonNode>();
        foreach (var call in CallsOf(request).Where(call => call["method"] is JsonValue name && name.TryGetValue<string>(out var text) && text == method))
        {
            calls.TryAdd(call["id"]?.ToJsonString() ?? "null", call);
        }

        var answers = parsed is JsonArray many ? many.Where(a => a is not null).Select(a => a!).ToList() : [parsed];
        foreach (var one in answers.OfType<JsonObject>().Where(a => a.ContainsKey("result")))
        {
            if (calls.TryGetValue(one["id"]?.ToJsonString() ?? "null", out var call))
            {
                rewrite(call, one);
            }
        }

        return parsed.ToJsonString();
    }

    // A batch's calls, or the single one.
    private static IEnumerable<JsonNode> CallsOf(JsonNode request) =>
        request is JsonArray batch ? batch.Where(call => call is not null).Select(call => call!) : [request];

    private T? Active<T>(ref T? hold)
        where T : ProxyHold
    {
        lock (_lock)
        {
            return hold is { IsReleased: false } ? hold : null;
        }
    }

    // The hold, with the parsed request, when one of the request's calls (a batch's, or the single one) matches it.
    private static (T Hold, JsonNode Request)? Matching<T>(T? hold, string body, Func<T, JsonNode, bool> matches)
        where T : ProxyHold
    {
        if (hold is null || TryParse(body) is not { } request)
        {
            return null;
        }

        return CallsOf(request).Any(call => matches(hold, call)) ? (hold, request) : null;
    }

    // The last block an eth_getLogs call reads when it names it as a number; long.MaxValue when it does not (a tag, whose
    // block moves with the head, or a block hash); long.MinValue for anything that is not eth_getLogs.
    private static long ReadsUpTo(JsonNode call)
    {
        if (call["method"] is not JsonValue method || !method.TryGetValue<string>(out var name) || name != "eth_getLogs")
        {
            return long.MinValue;
        }

        return call["params"] is JsonArray { Count: > 0 } parameters && parameters[0] is JsonObject filter
            && filter["toBlock"] is JsonValue to && to.TryGetValue<string>(out var text) && BlockNumber(text) is { } number
                ? number
                : long.MaxValue;
    }

    // One error for each call of a refused request (a batch gets an array of them).
    private static string Refused(JsonNode request, long fromBlock)
    {
        JsonObject Error(JsonNode? id) => new()
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id?.DeepClone(),
            ["error"] = new JsonObject { ["code"] = -32000, ["message"] = $"injected: logs of block {fromBlock} on are refused" },
        };

        return request is JsonArray batch
            ? new JsonArray([.. batch.Select(call => (JsonNode)Error(call?["id"]))]).ToJsonString()
            : Error(request["id"]).ToJsonString();
    }

    // The block number an eth_getLogs call reads from, when it names one as a number.
    private static long? LogsFromBlock(JsonNode call) =>
        call["method"] is JsonValue method && method.TryGetValue<string>(out var name) && name == "eth_getLogs"
        && call["params"] is JsonArray { Count: > 0 } parameters && parameters[0] is JsonObject filter
        && filter["fromBlock"] is JsonValue from && from.TryGetValue<string>(out var text)
            ? BlockNumber(text)
            : null;

    // A block named by its number (0x...), or null for a tag or anything unparsable.
    private static long? BlockNumber(string text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
        && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    private LogAnswerHold? TakeLogHold(string body)
    {
        if (!body.Contains("\"eth_getLogs\"", StringComparison.Ordinal))
        {
            return null;
        }

        lock (_lock)
        {
            var hold = _logHold;
            _logHold = null;
            return hold;
        }
    }

    private async Task ServeWithRangeLimitAsync(HttpContext context, JsonNode request, long limit, LogRangeErrorStyle style, CancellationToken cancellationToken)
    {
        var batch = request as JsonArray;
        var calls = CallsOf(request).ToList();
        var refused = new List<JsonNode>();
        var passed = new JsonArray();
        // Asked of the upstream at most once per request, and only if a call names a block by tag.
        var head = new Lazy<Task<long>>(() => UpstreamBlockNumberAsync(cancellationToken));
        foreach (var call in calls)
        {
            var span = call["method"]?.GetValueKind() == JsonValueKind.String && call["method"]!.GetValue<string>() == "eth_getLogs"
                ? await BlockSpanAsync(call, head)
                : null;
            if (span > limit)
            {
                refused.Add(RangeError(call["id"], style));
            }
            else
            {
                passed.Add(call.DeepClone());
            }
        }

        Interlocked.Add(ref _rangeErrorsServed, refused.Count);
        if (batch is null)
        {
            if (refused.Count == 1)
            {
                await WriteAsync(context, HttpStatusCode.OK, "application/json", refused[0].ToJsonString(), cancellationToken);
                return;
            }

            var (status, body) = await ForwardAsync(request.ToJsonString(), cancellationToken);
            await WriteAsync(context, status, "application/json", body, cancellationToken);
            return;
        }

        var answers = new JsonArray([.. refused]);
        if (passed.Count > 0)
        {
            var (status, body) = await ForwardAsync(passed.ToJsonString(), cancellationToken);
            if (status != HttpStatusCode.OK || TryParse(body) is not JsonArray upstreamAnswers)
            {
                // The upstream refused the batch as a whole: pass its answer on unchanged.
                await WriteAsync(context, status, "application/json", body, cancellationToken);
                return;
            }

            foreach (var answer in upstreamAnswers)
            {
                answers.Add(answer?.DeepClone());
            }
        }

        await WriteAsync(context, HttpStatusCode.OK, "application/json", answers.ToJsonString(), cancellationToken);
    }

    // The number of blocks an eth_getLogs call spans (inclusive), or null when it names no range (a blockHash filter)
    // or one the node itself should judge (unparsable, or from after to).
    private static async Task<long?> BlockSpanAsync(JsonNode call, Lazy<Task<long>> head)
    {
        if (call["params"] is not JsonArray { Count: > 0 } parameters || parameters[0] is not JsonObject filter || filter.ContainsKey("blockHash"))
        {
            return null;
        }

        async Task<long?> ResolveAsync(JsonNode? tag)
        {
            var text = tag is JsonValue value && value.TryGetValue<string>(out var s) ? s : "latest";
            switch (text)
            {
                case "earliest":
                    return 0;
                case "latest" or "pending" or "safe" or "finalized":
                    return await head.Value;
                default:
                    return BlockNumber(text);
            }
        }

        var from = await ResolveAsync(filter["fromBlock"]);
        var to = await ResolveAsync(filter["toBlock"]);
        return from is { } f && to is { } t && t >= f ? t - f + 1 : null;
    }

    /// <summary>Whether an eth_getLogs call (or one in a batch) names, by its hash, a block at or past the lag's first block.</summary>
    private async Task<bool> ReadsMissingBlockAsync(JsonNode request, LogsLag lag, CancellationToken cancellationToken)
    {
        if (request is JsonArray batch)
        {
            foreach (var call in batch)
            {
                if (call is not null && await ReadsMissingBlockAsync(call, lag, cancellationToken))
                {
                    return true;
                }
            }

            return false;
        }

        var single = request;
        if (single["method"] is not JsonValue method || !method.TryGetValue<string>(out var name) || name != "eth_getLogs"
            || single["params"] is not JsonArray { Count: > 0 } parameters || parameters[0] is not JsonObject filter
            || filter["blockHash"] is not JsonValue hashValue || !hashValue.TryGetValue<string>(out var hash))
        {
            return false;
        }

        var lookup = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = "proxy-block",
            ["method"] = "eth_getBlockByHash",
            ["params"] = new JsonArray(hash, false),
        };
        var (status, body) = await ForwardAsync(lookup.ToJsonString(), cancellationToken, countAsForwarded: false);
        return status == HttpStatusCode.OK && TryParse(body)?["result"]?["number"] is JsonValue number && number.TryGetValue<string>(out var hex)
            && Hex.ToLong(hex) >= lag.FromBlock;
    }

    private async Task<long> UpstreamBlockNumberAsync(CancellationToken cancellationToken)
    {
        var (status, body) = await ForwardAsync("""{"jsonrpc":"2.0","id":"proxy-head","method":"eth_blockNumber","params":[]}""", cancellationToken, countAsForwarded: false);
        if (status == HttpStatusCode.OK && TryParse(body)?["result"] is JsonValue result && result.TryGetValue<string>(out var hex))
        {
            return Hex.ToLong(hex);
        }

        throw new HttpRequestException($"eth_blockNumber for a range check answered {(int)status}: {body}");
    }

    private static JsonObject RangeError(JsonNode? id, LogRangeErrorStyle style) => new()
    {
        ["jsonrpc"] = "2.0",
        ["id"] = id?.DeepClone(),
        ["error"] = style switch
        {
            LogRangeErrorStyle.Alchemy => new JsonObject { ["code"] = -32602, ["message"] = AlchemyRangeMessage },
            _ => new JsonObject { ["code"] = -32005, ["message"] = InfuraRangeMessage },
        },
    };

    private async Task<(HttpStatusCode Status, string Body)> ForwardAsync(string body, CancellationToken cancellationToken, bool countAsForwarded = true)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _upstream.PostAsync(Upstream, content, cancellationToken);
        var answer = await response.Content.ReadAsStringAsync(cancellationToken);
        if (countAsForwarded)
        {
            Interlocked.Increment(ref _requestsForwarded);
        }

        return (response.StatusCode, answer);
    }

    // A single eth_call while FailContractCalls has some left (taking one), else null.
    private JsonObject? ContractCallToFail(string body)
    {
        if (TryParse(body) is not JsonObject call
            || call["method"] is not JsonValue method || !method.TryGetValue<string>(out var name) || name != "eth_call")
        {
            return null;
        }

        lock (_lock)
        {
            if (_contractCallFailuresLeft == 0)
            {
                return null;
            }

            _contractCallFailuresLeft--;
            return call;
        }
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task WriteAsync(HttpContext context, HttpStatusCode status, string contentType, string body, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body, cancellationToken);
    }
}
