using System.Net;
using System.Text.Json;

namespace Grid.Gateway.Tests.Support;

/// <summary>One HTTP answer, read whole: status, media type, headers and the body as text and JSON.</summary>
public sealed record ApiResponse(HttpStatusCode Status, string? MediaType, string Text, IReadOnlyDictionary<string, string> Headers)
{
    public JsonElement Json => string.IsNullOrEmpty(Text) ? default : JsonDocument.Parse(Text).RootElement.Clone();

    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>The problem's <c>code</c> (asserts the answer is problem+json).</summary>
    public string? Code
    {
        get
        {
            Assert.Equal("application/problem+json", MediaType);
            return Json.GetProperty("code").GetString();
        }
    }

    public override string ToString() => $"{(int)Status} {Text}";

    public static async Task<ApiResponse> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new ApiResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, text, headers);
    }
}
