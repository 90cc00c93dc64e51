using System.Net;
using System.Text.Json;

namespace Grid.Gateway.Tests.Support;

/// <summary>GET /v1/cluster on a silo process, with an admin key; asserts 200.</summary>
public static class ClusterViewApi
{
    public static async Task<JsonDocument> GetAsync(SiloProcess silo, string adminKey)
    {
        ArgumentNullException.ThrowIfNull(silo);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/cluster");
        request.Headers.Authorization = new("Bearer", adminKey);
        using var response = await silo.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
