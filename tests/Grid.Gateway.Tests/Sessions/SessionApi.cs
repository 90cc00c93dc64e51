using System.Net;
using System.Text.Json;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests.Sessions;

/// <summary>The session routes and the account reads the session tests check them with.</summary>
internal static class SessionApi
{
    public static Task<ApiResponse> StartAsync(this LedgerApi api, object body, string? key = "") =>
        api.PostJsonAsync("/v1/sessions", JsonSerializer.Serialize(body), key: key);

    public static Task<ApiResponse> UsageAsync(this LedgerApi api, string sessionId, string operationId, long units, string? key = "") =>
        api.PostJsonAsync($"/v1/sessions/{sessionId}/usage", JsonSerializer.Serialize(new { operationId, units }), key: key);

    public static Task<ApiResponse> EndAsync(this LedgerApi api, string sessionId, string operationId, string? key = "") =>
        api.PostJsonAsync($"/v1/sessions/{sessionId}/end", JsonSerializer.Serialize(new { operationId }), key: key);

    /// <summary>Asserts the answer was <paramref name="status"/> and returns its body.</summary>
    public static JsonElement Expect(this ApiResponse response, HttpStatusCode status)
    {
        Assert.True(response.Status == status, response.ToString());
        return response.Json;
    }

    public static async Task<(long Available, long Held)> BalanceAsync(this LedgerApi api, string accountId)
    {
        var account = (await api.GetAsync($"/v1/accounts/{accountId}")).Expect(HttpStatusCode.OK).GetProperty("balance");
        return (account.GetProperty("available").GetInt64(), account.GetProperty("held").GetInt64());
    }

    /// <summary>The account's journal after its opening, as (operation id, kind, amount, released); empty when it was never opened.</summary>
    public static async Task<IReadOnlyList<(string OperationId, string Kind, long Amount, long Released)>> EntriesAsync(this LedgerApi api, string accountId)
    {
        if ((await api.GetAsync($"/v1/accounts/{accountId}")).Status == HttpStatusCode.NotFound)
        {
            return [];
        }

        return (await api.JournalAsync(accountId))
            .Where(e => e.GetProperty("kind").GetString() != "open")
            .Select(e => (e.GetProperty("operationId").GetString()!, e.GetProperty("kind").GetString()!, e.GetProperty("amount").GetInt64(), e.GetProperty("released").GetInt64()))
            .ToArray();
    }

    public static async Task<string> IssueKeyAsync(this LedgerApi api, string accountId, params string[] scopes)
    {
        var issued = await api.PostAsync("/v1/keys", new { accountId, scopes, name = "session test" });
        return issued.Expect(HttpStatusCode.Created).GetProperty("key").GetString()!;
    }
}
