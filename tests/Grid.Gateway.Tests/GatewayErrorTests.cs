using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Grid.Gateway.Tests;

/// <summary>Answers to requests no route takes: always problem+json with a stable code, never a bare status.</summary>
public sealed class GatewayErrorTests : IAsyncLifetime
{
    private readonly TemporaryDirectory _directory = new();
    private SiloProcess _silo = null!;

    public async Task InitializeAsync()
    {
        _silo = SiloProcess.Start(_directory.Path, new Dictionary<string, string> { ["Grid__Auth__AdminKey"] = "gateway-error-admin-key-0123456789" });
        await _silo.WaitReadyAsync();
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        _directory.Dispose();
    }

    [Theory]
    [InlineData("GET", "/nope", 404, "not_found")]
    [InlineData("GET", "/v1/accounts/unknown/nothing", 404, "not_found")]
    [InlineData("POST", "/v2/anything", 404, "not_found")]
    [InlineData("DELETE", "/v1/cluster", 405, "method_not_allowed")]
    public async Task Unmatched_requests_get_problem_json(string method, string path, int status, string code)
    {
        using var response = await _silo.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("/v1/casts")]
    [InlineData("/v1/payments/onchain")]
    [InlineData("/v1/webhooks/stripe")]
    [InlineData("/v1/accounts")]
    public async Task A_body_whose_framing_cannot_be_read_is_a_400_problem_not_a_500(string path)
    {
        // A chunk size that is not hex: only a hand-written request carries it (HttpClient frames bodies correctly).
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(_silo.Http.BaseAddress!.Host, _silo.Http.BaseAddress.Port);
        var stream = tcp.GetStream();
        var request = $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
            + "Authorization: Bearer gateway-error-admin-key-0123456789\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var response = await new StreamReader(stream, Encoding.UTF8).ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", response, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"bad_request\"", response, StringComparison.Ordinal);
    }
}
