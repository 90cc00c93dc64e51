using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Grid.Chain.TestKit.Proxy;

namespace Grid.Chain.Kit.Tests.Proxy;

public sealed class FaultyRpcProxyTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Single_requests_and_batches_are_forwarded_as_they_are()
    {
        await using var node = await AnvilNode.StartAsync(null, None);
        await using var proxy = await FaultyRpcProxy.StartAsync(node.RpcUrl, None);
        using var client = new AnvilClient(proxy.Url);
        using var http = new HttpClient();

        Assert.Equal(AnvilOptions.DefaultChainId, await client.GetChainIdAsync(None));
        var (status, answer) = await PostAsync(http, proxy.Url, """[{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]},{"jsonrpc":"2.0","id":2,"method":"eth_blockNumber","params":[]}]""");

        Assert.Equal(HttpStatusCode.OK, status);
        var results = answer!.AsArray();
        Assert.Equal(2, results.Count);
        Assert.Equal("0x7a69", results.Single(r => r!["id"]!.GetValue<int>() == 1)!["result"]!.GetValue<string>());
        Assert.Equal(2, proxy.RequestsForwarded);
        Assert.Equal(2, proxy.RequestsReceived);
    }

    [Theory]
    [InlineData(LogRangeErrorStyle.Alchemy, -32602, FaultyRpcProxy.AlchemyRangeMessage)]
    [InlineData(LogRangeErrorStyle.Infura, -32005, FaultyRpcProxy.InfuraRangeMessage)]
    public async Task Log_queries_over_more_blocks_than_allowed_get_the_providers_range_error(LogRangeErrorStyle style, long code, string message)
    {
        await using var node = await AnvilNode.StartAsync(null, None);
        await using var proxy = await FaultyRpcProxy.StartAsync(node.RpcUrl, None);
        using var client = new AnvilClient(proxy.Url);
        await client.MineAsync(30, None);
        proxy.MaxLogBlockRange = 10;
        proxy.RangeErrorStyle = style;

        var allowed = await client.GetLogsAsync(5, 14, null, null, None);
        var refused = await Assert.ThrowsAsync<JsonRpcException>(() => client.GetLogsAsync(5, 15, null, null, None));
        var byTag = await Assert.ThrowsAsync<JsonRpcException>(() => client.GetLogsRawAsync(new JsonObject { ["fromBlock"] = "0x10" }, None));
        var head = (await client.GetBlockAsync("latest", None))!;
        var byHash = await client.GetLogsRawAsync(new JsonObject { ["blockHash"] = head.Hash }, None);

        Assert.Empty(allowed);
        Assert.Equal(code, refused.Code);
        Assert.Equal(message, refused.RpcMessage);
        Assert.Equal(code, byTag.Code);
        Assert.Empty(byHash);
        Assert.Equal(2, proxy.RangeErrorsServed);

        proxy.MaxLogBlockRange = null;
        Assert.Empty(await client.GetLogsAsync(0, 30, null, null, None));
        Assert.Equal(2, proxy.RangeErrorsServed);
    }

    [Fact]
    public async Task Refused_log_reads_fail_at_once_while_earlier_blocks_and_other_methods_pass()
    {
        await using var node = await AnvilNode.StartAsync(null, None);
        await using var proxy = await FaultyRpcProxy.StartAsync(node.RpcUrl, None);
        using var client = new AnvilClient(proxy.Url);
        await client.MineAsync(20, None);
        var refusal = proxy.RefuseLogReads(15);

        Assert.Empty(await client.GetLogsAsync(5, 14, null, null, None));
        Assert.False(refusal.Held.IsCompleted);
        var reaching = await Assert.ThrowsAsync<JsonRpcException>(() => client.GetLogsAsync(10, 15, null, null, None));
        var byTag = await Assert.ThrowsAsync<JsonRpcException>(() => client.GetLogsRawAsync(new JsonObject { ["fromBlock"] = "0x1", ["toBlock"] = "latest" }, None));
        Assert.Equal(20, await client.GetBlockNumberAsync(None));

        Assert.Equal(-32000, reaching.Code);
        Assert.Contains("block 15", reaching.RpcMessage, StringComparison.Ordinal);
        Assert.Equal(-32000, byTag.Code);
        Assert.True(refusal.Held.IsCompleted);

        refusal.Release();
        Assert.Empty(await client.GetLogsAsync(10, 20, null, null, None));
    }

    [Fact]
    public async Task In_a_batch_only_the_calls_over_the_range_are_refused()
    {
        await using var node = await AnvilNode.StartAsync(null, None);
        await using var proxy = await FaultyRpcProxy.StartAsync(node.RpcUrl, None);
        using var http = new HttpClient();
        using (var client = new AnvilClient(node.RpcUrl))
        {
            await client.MineAsync(20, None);
        }

        proxy.MaxLogBlockRange = 5;

        var (status, answer) = await PostAsync(http, proxy.Url, """
            [{"jsonrpc":"2.0","id":"wide","method":"eth_getLogs","params":[{"fromBlock":"0x0","toBlock":"0x10"}]},
             {"jsonrpc":"2.0","id":"head","method":"eth_blockNumber","params":[]},
             {"jsonrpc":"2.0","id":"narrow","method":"eth_getLogs","params":[{"fromBlock":"0x1","toBlock":"0x5"}]}]
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        var byId = answer!.AsArray().ToDictionary(a => a!["id"]!.GetValue<string>(), a => a!);
        Assert.Equal(-32602, byId["wide"]["error"]!["code"]!.GetValue<int>());
        Assert.Equal("0x14", byId["head"]["result"]!.GetValue<string>());
        Assert.Empty(byId["narrow"]["result"]!.AsArray());
        Assert.Equal(1, proxy.RangeErrorsServed);
        Assert.Equal(1, proxy.RequestsForwarded);
    }

    [Fact]
    public async Task Every_kth_request_is_rate_limited_with_retry_after_zero()
    {
        await using var node = await AnvilNode.StartAsync(null, None);
        await using var proxy = await FaultyRpcProxy.StartAsync(node.RpcUrl, None);
        using var http = new HttpClient();
        proxy.RateLimitEvery = 3;

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 7; i++)
        {
            using var content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}""", Encoding.UTF8, "application/json");
            answers.Add(await http.PostAsync(proxy.Url, content));
        }

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK],
            answers.Select(a => a.StatusCode));
        Assert.Equal(TimeSpan.Zero, answers[2].Headers.RetryAfter?.Delta);
        Assert.Equal(2, proxy.RateLimitsServed);
        Assert.Equal(5, proxy.RequestsForwarded);
        foreach (var answer in answers)
        {
            answer.Dispose();
        }

        proxy.RateLimitEvery = null;
        using var client = new AnvilClient(proxy.Url);
        for (var i = 0; i < 4; i++)
        {
            await client.GetChainIdAsync(None);
        }

        Assert.Equal(2, proxy.RateLimitsServed);
    }

    [Fact]
    public async Task Fail_next_answers_the_next_requests_with_the_status_then_forwards_again()
    {
        await using var node = await AnvilNode.StartAsync(null, None);
        await using var proxy = await FaultyRpcProxy.StartAsync(node.RpcUrl, None);
        using var client = new AnvilClient(proxy.Url);

        proxy.FailNext(2, HttpStatusCode.ServiceUnavailable);

        var first = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetChainIdAsync(None));
        var second = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetChainIdAsync(None));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal(AnvilOptions.DefaultChainId, await client.GetChainIdAsync(None));
        Assert.Equal(2, proxy.FailuresServed);
        Assert.Equal(1, proxy.RequestsForwarded);
    }

    [Fact]
    public async Task A_stopped_upstream_gives_502_until_it_is_back()
    {
        await using var node = await AnvilNode.StartAsync(null, None);
        await using var proxy = await FaultyRpcProxy.StartAsync(node.RpcUrl, None);
        using var client = new AnvilClient(proxy.Url);
        await client.MineAsync(1, None);

        await node.StopAsync(None);
        var down = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetBlockNumberAsync(None));
        proxy.MaxLogBlockRange = 10;
        var rangeCheckDown = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetLogsRawAsync(new JsonObject { ["fromBlock"] = "latest" }, None));
        await node.StartAsync(None);

        Assert.Equal(HttpStatusCode.BadGateway, down.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, rangeCheckDown.StatusCode);
        Assert.Equal(2, proxy.BadGatewaysServed);
        Assert.Equal(1, await client.GetBlockNumberAsync(None));
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(HttpClient http, Uri url, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(url, content);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }
}
