using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Grid.Gateway.Tests.Support;

/// <summary>The account routes over HTTP, with the admin key unless told otherwise.</summary>
public sealed class LedgerApi(HttpClient http, string? adminKey)
{
    public HttpClient Http { get; } = http;

    public Task<ApiResponse> PostAsync(string path, object body, CancellationToken cancellationToken = default) =>
        PostJsonAsync(path, JsonSerializer.Serialize(body), cancellationToken);

    /// <summary>POSTs <paramref name="json"/> as is (null: no body at all) with the given content type.</summary>
    public async Task<ApiResponse> PostJsonAsync(string path, string? json, CancellationToken cancellationToken = default, string mediaType = "application/json", string? key = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, mediaType);
        }

        return await SendAsync(request, key, cancellationToken);
    }

    public async Task<ApiResponse> GetAsync(
        string path, CancellationToken cancellationToken = default, string? key = "", IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(name, value);
        }

        return await SendAsync(request, key, cancellationToken);
    }

    /// <summary>Opens an account; asserts 201 and returns its id.</summary>
    public async Task<string> CreateAccountAsync(string? id = null, long overdraftLimit = 0)
    {
        var response = await PostAsync("/v1/accounts", new Dictionary<string, object?> { ["id"] = id, ["overdraftLimit"] = overdraftLimit });
        Assert.True(response.Status == System.Net.HttpStatusCode.Created, response.ToString());
        return response.Json.GetProperty("id").GetString()!;
    }

    /// <summary>Deposits; asserts 200 and returns the response body.</summary>
    public async Task<JsonElement> DepositAsync(string accountId, string operationId, long amount)
    {
        var response = await PostAsync($"/v1/accounts/{accountId}/deposits", new { operationId, amount });
        Assert.True(response.Status == System.Net.HttpStatusCode.OK, response.ToString());
        return response.Json;
    }

    /// <summary>Every journal entry of the account through GET .../journal, page by page.</summary>
    public async Task<IReadOnlyList<JsonElement>> JournalAsync(string accountId, int pageSize = 1_000)
    {
        var entries = new List<JsonElement>();
        var after = 0L;
        while (true)
        {
            var page = await GetAsync($"/v1/accounts/{accountId}/journal?after={after}&limit={pageSize}");
            Assert.True(page.Status == System.Net.HttpStatusCode.OK, page.ToString());
            var json = page.Json;
            entries.AddRange(json.GetProperty("entries").EnumerateArray());
            if (json.GetProperty("next").ValueKind == JsonValueKind.Null)
            {
                return entries;
            }

            after = json.GetProperty("next").GetInt64();
        }
    }

    /// <summary>A request without a body (DELETE, for one).</summary>
    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, CancellationToken cancellationToken = default, string? key = "")
    {
        using var request = new HttpRequestMessage(method, path);
        return await SendAsync(request, key, cancellationToken);
    }

    private async Task<ApiResponse> SendAsync(HttpRequestMessage request, string? key, CancellationToken cancellationToken)
    {
        // "" means the admin key; null means no Authorization header at all.
        var token = key == string.Empty ? adminKey : key;
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await Http.SendAsync(request, cancellationToken);
        return await ApiResponse.ReadAsync(response);
    }
}
