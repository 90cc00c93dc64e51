using System.Globalization;
using Grid.Browser.Tests.Support;
using Microsoft.Playwright;

namespace Grid.Browser.Tests.Dashboard;

/// <summary>
/// The operator dashboard in a real browser: refused without the admin key, opened by signing in with it, and
/// live: deposits made through the HTTP API show in its call counters and journal feed within 2 s, no reload.
/// </summary>
public sealed class DashboardPageTests(BrowserSiloFixture fixture) : IClassFixture<BrowserSiloFixture>
{
    private static readonly TimeSpan LiveWithin = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Without_the_key_the_dashboard_is_refused_and_a_wrong_key_does_not_open_it()
    {
        var page = await fixture.NewPageAsync();

        var refused = await page.GotoAsync("/dashboard");

        Assert.Equal(401, refused!.Status);
        await Assertions.Expect(page.Locator("input[name=key]")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("[data-testid=silos]").CountAsync());
        await Screenshots.SaveAsync(page, "dashboard-sign-in");

        await page.FillAsync("input[name=key]", "not-the-admin-key");
        var wrong = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("button[type=submit]"), r => r.Url.EndsWith("/dashboard/login", StringComparison.Ordinal));

        Assert.Equal(401, wrong.Status);
        await Assertions.Expect(page.Locator(".message")).ToContainTextAsync("not the admin key");
        Assert.Equal(0, await page.Locator("[data-testid=silos]").CountAsync());
        Assert.Empty(await page.Context.CookiesAsync());
    }

    [Fact]
    public async Task Signed_in_it_shows_the_silo_and_its_activations_and_follows_deposits_live()
    {
        var account = await fixture.Api.CreateAccountAsync("browser-dash-" + Guid.NewGuid().ToString("N")[..8]);
        await fixture.Api.DepositAsync(account, "before-open", 1_000);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/dashboard");

        await page.FillAsync("input[name=key]", BrowserSiloFixture.AdminKey);
        var opened = await page.RunAndWaitForResponseAsync(
            () => page.ClickAsync("button[type=submit]"), r => r.Request.Method == "GET" && r.Url.EndsWith("/dashboard", StringComparison.Ordinal));

        Assert.Equal(200, opened.Status);
        Assert.EndsWith("/dashboard", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTestId("connection")).ToHaveTextAsync("live");
        var silo = page.GetByTestId("silo-row");
        await Assertions.Expect(silo).ToHaveCountAsync(1);
        await Assertions.Expect(silo).ToContainTextAsync(BrowserSiloFixture.SiloName);
        await Assertions.Expect(silo).ToContainTextAsync("active");
        await Assertions.Expect(page.Locator("[data-testid=activation-type][data-type=account]")).ToBeVisibleAsync();
        Assert.True(Number(await page.GetByTestId("activations-total").InnerTextAsync()) >= 1);
        Assert.True(Number(await silo.GetByTestId("silo-activations").InnerTextAsync()) >= 1);
        var callsBefore = Number(await page.GetByTestId("calls-total").InnerTextAsync());
        var appendsBefore = Number(await page.GetByTestId("appends-total").InnerTextAsync());

        // The last deposit's row is what is timed: the call counter may pass its mark before the last deposit (a deposit can
        // be more than one call), so it is only checked to follow.
        await PageTimes.WatchAsync(
            page, "feed", $"() => [...document.querySelectorAll('[data-testid=feed-entry]')].some(row => row.textContent.includes('{account} #5'))");
        for (var i = 1; i <= 3; i++)
        {
            await fixture.Api.DepositAsync(account, $"live-{i}", 100 * i);
        }

        // Timed by the page's own clock from the last answer (how long the deposits took to commit is the store's, not
        // the page's); the wait for it is longer, for a loaded machine.
        var answered = DateTimeOffset.UtcNow;
        var after = await PageTimes.SeenAtAsync(page, "feed", TimeSpan.FromSeconds(20)) - answered;
        Assert.True(after < LiveWithin, $"the page showed the last deposit {after} after its answer");
        await page.WaitForFunctionAsync(
            "before => Number(document.querySelector('[data-testid=calls-total]').textContent.replace(/,/g, '')) >= before + 3", callsBefore);

        // The last deposit (300) leaves 1,600 available; the feed row shows "amount → available after".
        var lastEntry = page.GetByTestId("feed-entry").Filter(new LocatorFilterOptions { HasText = $"{account} #5" });
        await Assertions.Expect(lastEntry).ToContainTextAsync("300 → 1,600");
        Assert.True(Number(await page.GetByTestId("appends-total").InnerTextAsync()) >= appendsBefore + 3);
        await Assertions.Expect(page.GetByTestId("feed-entry").Filter(new LocatorFilterOptions { HasText = account })).ToHaveCountAsync(3);
        var execute = page.Locator("[data-testid=method-row][data-method='IAccountGrain.Execute']");
        await Assertions.Expect(execute).ToBeVisibleAsync();
        // Per method, charts over the last minutes: calls and errors per second, and p50 and p99 latency.
        await Assertions.Expect(execute.Locator("[data-testid=method-rate-chart] polyline")).ToHaveCountAsync(2);
        await Assertions.Expect(execute.Locator("[data-testid=method-latency-chart] polyline")).ToHaveCountAsync(2);

        // A little more traffic so the charts have a shape in the screenshot.
        for (var i = 4; i <= 12; i++)
        {
            await fixture.Api.DepositAsync(account, $"live-{i}", 10);
            await Task.Delay(150);
        }

        await page.WaitForTimeoutAsync(2 * BrowserSiloFixture.SampleIntervalMs);
        await Screenshots.SaveAsync(page, "dashboard-live");
    }

    private static long Number(string text) => long.Parse(text.Replace(",", "", StringComparison.Ordinal).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
}
