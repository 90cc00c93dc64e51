using System.Net;
using System.Net.Http.Headers;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests.Dashboard;

/// <summary>
/// Who may open the dashboard on the real silo: the admin key as a bearer token, or the cookie that signing in with
/// it sets; nobody else, and a refused page shows a sign-in form without data.
/// </summary>
public sealed class DashboardAuthTests(DashboardSiloFixture fixture) : IClassFixture<DashboardSiloFixture>, IDisposable
{
    private const string AdminKey = DashboardSiloFixture.AdminKey;

    // Cookies and redirects by hand: each test says exactly what it sends.
    private readonly HttpClient _http = new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        BaseAddress = fixture.Silo.BaseAddress,
    };

    public static TheoryData<string> DataRoutes => new() { "/dashboard/snapshot", "/dashboard/events" };

    [Fact]
    public async Task Without_a_credential_the_page_is_a_sign_in_form_with_no_data()
    {
        var page = await GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Unauthorized, page.Status);
        Assert.Equal("text/html", page.MediaType);
        Assert.Contains("action=\"/dashboard/login\"", page.Text, StringComparison.Ordinal);
        Assert.Contains("name=\"key\"", page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("dashboard.js", page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("silo", page.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("no-store", page.Headers["Cache-Control"]);
        Assert.Contains("frame-ancestors 'none'", page.Headers["Content-Security-Policy"], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DataRoutes))]
    public async Task Data_routes_without_a_credential_are_401_problems(string route)
    {
        var answer = await GetAsync(route);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("unauthorized", answer.Code);
    }

    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/dashboard/snapshot")]
    [InlineData("/dashboard/events")]
    public async Task A_wrong_bearer_key_is_401(string route)
    {
        var answer = await GetAsync(route, bearer: AdminKey + "x");

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
    }

    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/dashboard/snapshot")]
    [InlineData("/dashboard/events")]
    public async Task An_account_key_is_403(string route)
    {
        var account = await fixture.Api.CreateAccountAsync();
        var issued = await fixture.Api.PostAsync("/v1/keys", new { accountId = account, scopes = new[] { "read", "charge" }, name = "dashboard test" });
        Assert.True(issued.IsSuccess, issued.ToString());
        var key = issued.Json.GetProperty("key").GetString()!;

        var answer = await GetAsync(route, bearer: key);

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        if (route == "/dashboard")
        {
            Assert.Equal("text/html", answer.MediaType);
            Assert.DoesNotContain("dashboard.js", answer.Text, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal("forbidden", answer.Code);
        }
    }

    [Fact]
    public async Task The_admin_key_as_bearer_opens_the_page_and_the_snapshot()
    {
        var page = await GetAsync("/dashboard", bearer: AdminKey);
        var snapshot = await GetAsync("/dashboard/snapshot", bearer: AdminKey);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("/dashboard/assets/dashboard.js", page.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, snapshot.Status);
        Assert.Equal("application/json", snapshot.MediaType);
        Assert.True(snapshot.Json.GetProperty("current").GetProperty("silos").GetArrayLength() >= 1);
    }

    [Fact]
    public async Task A_wrong_key_at_sign_in_sets_nothing_and_shows_the_form_again()
    {
        using var answer = await SignInAsync("not-the-admin-key");
        var text = await answer.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.False(answer.Headers.Contains("Set-Cookie"));
        Assert.Contains("not the admin key", text, StringComparison.Ordinal);
        Assert.Contains("action=\"/dashboard/login\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_in_sets_a_strict_http_only_cookie_that_opens_every_dashboard_route_and_nothing_else()
    {
        using var signedIn = await SignInAsync(AdminKey);

        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Equal("/dashboard", signedIn.Headers.Location?.OriginalString);
        var setCookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/dashboard", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(AdminKey, setCookie, StringComparison.Ordinal);
        var cookie = setCookie.Split(';')[0];
        var token = cookie["grid_dashboard=".Length..];

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/dashboard", cookie: cookie)).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/dashboard/snapshot", cookie: cookie)).Status);
        await using (await DashboardEvents.OpenAsync(_http, bearer: null, cookie))
        {
        }

        // The cookie's token is no API credential, and a changed one is nobody's.
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/v1/cluster", bearer: token)).Status);
        var forged = cookie[..^2] + (cookie[^2] == 'A' ? "B" : "A") + cookie[^1];
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/dashboard/snapshot", cookie: forged)).Status);
    }

    [Fact]
    public async Task A_sign_in_form_past_its_bound_is_413_unread_even_with_the_right_key_in_it()
    {
        // Anyone may post a sign-in: a large form is refused before it is read, whether its length is declared or not.
        var padded = new[] { new KeyValuePair<string, string>("key", AdminKey), new KeyValuePair<string, string>("pad", new string('x', 64 * 1024)) };
        using (var declared = new HttpRequestMessage(HttpMethod.Post, "/dashboard/login") { Content = new FormUrlEncodedContent(padded) })
        {
            using var answer = await _http.SendAsync(declared);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.StatusCode);
            Assert.Equal("payload_too_large", (await ApiResponse.ReadAsync(answer)).Code);
            Assert.False(answer.Headers.Contains("Set-Cookie"));
        }

        var body = await new FormUrlEncodedContent(padded).ReadAsByteArrayAsync();
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/dashboard/login") { Content = new ChunkedContent(body) };
        chunked.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var refused = await _http.SendAsync(chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Set-Cookie"));

        using var signedIn = await SignInAsync(AdminKey); // a form of the right size still signs in
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
    }

    [Fact]
    public async Task Signing_out_clears_the_cookie()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dashboard/logout");
        using var answer = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.SeeOther, answer.StatusCode);
        var cleared = Assert.Single(answer.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("grid_dashboard=;", cleared, StringComparison.Ordinal);
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/dashboard", cleared, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/dashboard/login")]
    [InlineData("/dashboard/logout")]
    public async Task A_sign_in_or_out_posted_by_another_sites_page_is_refused_unread_and_spends_no_guess(string path)
    {
        for (var i = 0; i < 60; i++)
        {
            using var forged = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("key", "a wrong guess")]),
            };
            if (i % 3 == 2)
            {
                // A browser that sends no Sec-Fetch-Site still names where the post comes from.
                forged.Headers.Add("Origin", i % 2 == 0 ? "https://evil.example" : "null");
            }
            else
            {
                forged.Headers.Add("Sec-Fetch-Site", i % 2 == 0 ? "cross-site" : "same-site");
            }

            using var answer = await _http.SendAsync(forged);
            Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
            Assert.False(answer.Headers.Contains("Set-Cookie"));
        }

        // Sixty posts past any guessing budget, and the operator's own page still signs in.
        using var own = new HttpRequestMessage(HttpMethod.Post, "/dashboard/login")
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("key", AdminKey)]),
        };
        own.Headers.Add("Origin", _http.BaseAddress!.GetLeftPart(UriPartial.Authority)); // a browser without Sec-Fetch-Site
        using var signedIn = await _http.SendAsync(own);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("grid_dashboard=", StringComparison.Ordinal) && !c.StartsWith("grid_dashboard=;", StringComparison.Ordinal));
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SignInAsync(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dashboard/login")
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("key", key)]),
        };
        return await _http.SendAsync(request);
    }

    private async Task<ApiResponse> GetAsync(string path, string? bearer = null, string? cookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        // Headers only: a stream that opened is closed at once.
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            return new ApiResponse(response.StatusCode, "text/event-stream", "", new Dictionary<string, string>());
        }

        return await ApiResponse.ReadAsync(response);
    }
}
