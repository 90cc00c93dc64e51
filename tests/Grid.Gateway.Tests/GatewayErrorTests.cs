using System.Net;
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
}
