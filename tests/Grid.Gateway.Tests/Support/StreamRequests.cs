using System.Net.Http.Headers;

namespace Grid.Gateway.Tests.Support;

/// <summary>Opens an account's balance stream and returns once its headers are in (the body stays open).</summary>
public static class StreamRequests
{
    public static async Task<HttpResponseMessage> OpenAsync(HttpClient http, string account, string credential)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/accounts/{account}/stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }
}
