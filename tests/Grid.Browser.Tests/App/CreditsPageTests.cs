using Grid.Browser.Tests.Support;
using Grid.Stripe.TestKit;
using Grid.Stripe.TestKit.Events;
using Grid.Stripe.TestKit.Webhooks;
using Microsoft.Playwright;

namespace Grid.Browser.Tests.App;

/// <summary>
/// The credits page (/app) in a real browser, opened as a product would open it (a guest token in the fragment):
/// it shows the balance and the journal, follows a deposit made through the HTTP API within 2 s, no reload, and buys a
/// package through Stripe Checkout (the stand-in) and back.
/// </summary>
public sealed class CreditsPageTests(BrowserSiloFixture fixture) : IClassFixture<BrowserSiloFixture>
{
    private static readonly TimeSpan LiveWithin = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task The_balance_changes_live_after_a_deposit_and_the_token_leaves_the_address_bar()
    {
        var account = await fixture.Api.CreateAccountAsync("browser-app-" + Guid.NewGuid().ToString("N")[..8]);
        await fixture.Api.DepositAsync(account, "first-top-up", 1_500);
        var token = await fixture.Api.IssueGuestTokenAsync(account);
        var page = await fixture.NewPageAsync();

        await page.GotoAsync($"/app#account={account}&token={Uri.EscapeDataString(token)}");

        var balance = page.GetByTestId("balance");
        await Assertions.Expect(balance).ToHaveAttributeAsync("data-available", "1500");
        await Assertions.Expect(page.GetByTestId("status")).ToHaveAttributeAsync("data-state", "open");
        await Assertions.Expect(page.Locator("[data-testid=journal-entry][data-kind=deposit]")).ToHaveCountAsync(1);
        Assert.DoesNotContain(token, page.Url, StringComparison.Ordinal);
        await Screenshots.SaveAsync(page, "credits-before-deposit");

        await PageTimes.WatchAsync(page, "balance", "() => document.querySelector('[data-testid=balance]')?.getAttribute('data-available') === '1750'");
        await PageTimes.WatchAsync(page, "journal", "() => document.querySelectorAll('[data-testid=journal-entry][data-kind=deposit]').length === 2");
        Assert.Equal(1_750, await fixture.Api.DepositAsync(account, "second-top-up", 250));
        var answered = DateTimeOffset.UtcNow;

        // Timed by the page's own clock from the deposit's answer; the wait for it is longer, for a loaded machine.
        foreach (var shown in new[] { "balance", "journal" })
        {
            var after = await PageTimes.SeenAtAsync(page, shown, TimeSpan.FromSeconds(20)) - answered;
            Assert.True(after < LiveWithin, $"the page showed the new {shown} {after} after the deposit's answer");
        }

        await Assertions.Expect(balance).ToHaveAttributeAsync("data-available", "1750");
        await Assertions.Expect(page.Locator("[data-testid=journal-entry][data-kind=deposit]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("held")).ToHaveTextAsync("0");
        await Screenshots.SaveAsync(page, "credits-after-deposit");
    }

    [Fact]
    public async Task Buying_a_package_goes_to_checkout_and_back_to_a_balance_the_signed_webhook_credited()
    {
        var account = await fixture.Api.CreateAccountAsync("browser-buy-" + Guid.NewGuid().ToString("N")[..8]);
        await fixture.Api.DepositAsync(account, "starting-credits", 100);
        var token = await fixture.Api.IssueGuestTokenAsync(account);
        var (packageId, credits) = await fixture.Api.FirstPackageAsync();
        var page = await fixture.NewPageAsync();
        // Stripe's hosted page is not on this machine: the browser gets a stand-in page at the same address.
        await page.Context.RouteAsync("https://checkout.stripe.com/**", route => route.FulfillAsync(new RouteFulfillOptions
        {
            ContentType = "text/html",
            Body = "<h1>Checkout</h1>",
        }));
        await page.GotoAsync($"/app#account={account}&token={Uri.EscapeDataString(token)}");
        await Assertions.Expect(page.GetByTestId("balance")).ToHaveAttributeAsync("data-available", "100");

        await page.GetByTestId($"package-{packageId}").ClickAsync();

        await page.WaitForURLAsync("https://checkout.stripe.com/c/pay/**");
        var session = Assert.Single(fixture.Stripe.CheckoutSessions, s => page.Url.StartsWith(s.Url!.Split('#')[0], StringComparison.Ordinal));
        var paid = fixture.Stripe.CompleteCheckoutSession(session.Id);
        var delivery = StripeEvents.CheckoutSessionCompleted(StripeTestIds.Event(), paid);
        var signature = await StripeNode.SignAsync(delivery, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), BrowserSiloFixture.WebhookSecret);
        Assert.Equal("applied", await fixture.Api.DeliverWebhookAsync(delivery, signature));

        // Checkout sends the payer back; the tab still has its token (session storage), not the URL.
        await page.GotoAsync(session.SuccessUrl!);

        await Assertions.Expect(page.GetByTestId("balance")).ToHaveAttributeAsync("data-available", (100 + credits).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("[data-testid=journal-entry][data-kind=deposit]")).ToHaveCountAsync(2);
        await Screenshots.SaveAsync(page, "credits-after-checkout");
    }

    [Fact]
    public async Task A_link_for_another_account_switches_an_open_page_only_when_the_payer_agrees()
    {
        var mine = await fixture.Api.CreateAccountAsync("browser-app-mine-" + Guid.NewGuid().ToString("N")[..8]);
        var theirs = await fixture.Api.CreateAccountAsync("browser-app-theirs-" + Guid.NewGuid().ToString("N")[..8]);
        await fixture.Api.DepositAsync(mine, "mine", 300);
        await fixture.Api.DepositAsync(theirs, "theirs", 700);
        var page = await fixture.NewPageAsync();
        var loaded = await page.GotoAsync($"/app#account={mine}&token={Uri.EscapeDataString(await fixture.Api.IssueGuestTokenAsync(mine))}");
        Assert.Equal("same-origin", await loaded!.HeaderValueAsync("cross-origin-opener-policy"));
        await Assertions.Expect(page.GetByTestId("balance")).ToHaveAttributeAsync("data-available", "300");

        // Declined: the page stays on the payer's account, and the other token leaves the address bar all the same.
        var asked = new List<string>();
        void Decline(object? sender, IDialog dialog)
        {
            asked.Add(dialog.Message);
            _ = dialog.DismissAsync();
        }

        page.Dialog += Decline;
        var theirToken = await fixture.Api.IssueGuestTokenAsync(theirs);
        await page.EvaluateAsync("hash => { location.hash = hash; }", $"account={theirs}&token={Uri.EscapeDataString(theirToken)}");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/app$"));
        Assert.Contains(theirs, Assert.Single(asked), StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTestId("balance")).ToHaveAttributeAsync("data-available", "300");
        page.Dialog -= Decline;

        // Accepted: it switches.
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await page.EvaluateAsync("hash => { location.hash = hash; }", $"account={theirs}&token={Uri.EscapeDataString(theirToken)}");
        await Assertions.Expect(page.GetByTestId("balance")).ToHaveAttributeAsync("data-available", "700");
    }

    [Fact]
    public async Task A_token_the_gateway_refuses_shows_a_notice_and_no_balance()
    {
        var account = await fixture.Api.CreateAccountAsync("browser-app-bad-" + Guid.NewGuid().ToString("N")[..8]);
        await fixture.Api.DepositAsync(account, "money", 900);
        var page = await fixture.NewPageAsync();

        await page.GotoAsync($"/app#account={account}&token=gt_not-a-token");

        await Assertions.Expect(page.GetByTestId("notice")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("wallet-sign-in")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("balance")).ToBeHiddenAsync();
        Assert.NotEqual("900", await page.GetByTestId("balance").GetAttributeAsync("data-available"));
        await Screenshots.SaveAsync(page, "credits-refused-token");
    }
}
