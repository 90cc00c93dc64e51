using System.Globalization;
using Grid.Stripe.TestKit.StandIn;
using Microsoft.Playwright;

namespace Grid.Browser.Tests.Support;

/// <summary>
/// A silo (the built executable, fresh SQLite store, admin key, a fast dashboard sampler, Stripe's stand-in with Checkout
/// sending payers back to the credits page) and Debian's Chromium
/// driven by Playwright, shared by the tests of a class; each test opens its own <see cref="NewPageAsync"/>.
/// The browser is /usr/bin/chromium, headless, never a downloaded one; when it is missing the tests fail (they are
/// not skipped), saying how to install it.
/// </summary>
public sealed class BrowserSiloFixture : IAsyncLifetime
{
    public const string AdminKey = "browser-test-admin-key-0123456789";
    public const string TokenSecret = "browser-test-token-secret-0123456789abcdef";
    public const string SiloName = "browser-silo";
    public const string ChromiumPath = "/usr/bin/chromium";
    public const int SampleIntervalMs = 200;
    public const string WebhookSecret = "whsec_browser_test_0123456789abcdef";

    private readonly TemporaryDirectory _directory = new();
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public SiloProcess Silo { get; private set; } = null!;

    /// <summary>Stripe as the silo sees it: Checkout Sessions are created here and paid by the test.</summary>
    public StripeStandIn Stripe { get; private set; } = null!;

    /// <summary>The gateway's HTTP API with the admin key.</summary>
    public GatewayClient Api { get; private set; } = null!;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Not initialized.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Browser tests need Debian's Chromium at {ChromiumPath}: apt-get install -y --no-install-recommends chromium fonts-liberation (bash tests/run.sh does it).");
        }

        Stripe = await StripeStandIn.StartAsync();
        var port = SiloProcess.FreePort();
        Silo = SiloProcess.Start(_directory.Path, new Dictionary<string, string>
        {
            ["Grid__Stripe__SecretKey"] = StripeStandIn.SecretKey,
            ["Grid__Stripe__ApiBase"] = Stripe.BaseAddress.ToString(),
            ["Grid__Stripe__WebhookSecrets__0"] = WebhookSecret,
            ["Grid__TopUps__SuccessUrl"] = $"http://127.0.0.1:{port}/app?paid={{PAYMENT_ID}}",
            ["Grid__Auth__AdminKey"] = AdminKey,
            ["Grid__Auth__TokenSecret"] = TokenSecret,
            ["Grid__Storage__DataDirectory"] = _directory.Combine("data"),
            ["Grid__Cluster__SiloName"] = SiloName,
            ["Grid__Dashboard__SampleIntervalMs"] = SampleIntervalMs.ToString(CultureInfo.InvariantCulture),
        }, port);
        await Silo.WaitReadyAsync();
        Api = new GatewayClient(Silo.Http, AdminKey);

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox"],
        });
    }

    /// <summary>A page in a context of its own (no cookies shared with other tests), at the silo's address.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Silo.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
        });
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Silo is not null)
        {
            await Silo.DisposeAsync();
        }

        if (Stripe is not null)
        {
            await Stripe.DisposeAsync();
        }

        _directory.Dispose();
    }
}
