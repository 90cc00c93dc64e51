using Grid.Stripe.Api;
using Grid.Stripe.Api.Requests;
using Grid.Stripe.TestKit.StandIn;

namespace Grid.Stripe.Tests.Api.Support;

/// <summary>A stand-in Stripe, a client pointed at it, and the clock and log they share.</summary>
internal sealed class StripeHarness : IAsyncDisposable
{
    private StripeHarness(RecordingClock clock, StripeStandIn stripe, StripeClientOptions options, RecordingLogger<StripeClient> log)
    {
        Clock = clock;
        Stripe = stripe;
        Options = options;
        Log = log;
        Client = new StripeClient(options, clock, log);
    }

    public RecordingClock Clock { get; }

    public StripeStandIn Stripe { get; }

    public StripeClientOptions Options { get; }

    public RecordingLogger<StripeClient> Log { get; }

    public StripeClient Client { get; }

    /// <summary>Starts the stand-in and a client with test settings: 3 attempts, 1 minute per attempt, backoff from 200 ms up to 2 s.</summary>
    public static async Task<StripeHarness> StartAsync(Action<StripeClientOptions>? configure = null)
    {
        var clock = new RecordingClock();
        var stripe = await StripeStandIn.StartAsync(clock);
        var options = new StripeClientOptions
        {
            SecretKey = StripeStandIn.SecretKey,
            ApiBase = stripe.BaseAddress,
            MaxAttempts = 3,
            AttemptTimeout = TimeSpan.FromMinutes(1),
            BaseDelay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(2),
            MaxRetryAfter = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return new StripeHarness(clock, stripe, options, new RecordingLogger<StripeClient>());
    }

    /// <summary>Runs a call, moving the clock over every backoff (any wait shorter than an attempt's timeout) at once.</summary>
    public Task<T> RunAsync<T>(Func<StripeClient, Task<T>> call) =>
        ClockDriver.RunAsync(Clock, call(Client), due => Task.FromResult(due < Options.AttemptTimeout));

    /// <summary>The waits the client slept between attempts (timers shorter than an attempt's timeout).</summary>
    public IReadOnlyList<TimeSpan> Backoffs => [.. Clock.TimersStarted.Where(t => t < Options.AttemptTimeout)];

    public static CheckoutSessionCreateRequest Checkout(string paymentId = "pay_01JD4TOPUP", long unitAmount = 2000) => new()
    {
        PaymentId = paymentId,
        AccountId = "acct-ada",
        UnitAmount = unitAmount,
        Currency = "usd",
        ProductName = "2,000 credits",
        SuccessUrl = "https://grid.example/topups/done?session={CHECKOUT_SESSION_ID}",
        CancelUrl = "https://grid.example/topups/cancelled",
    };

    public static OffSessionPaymentIntentCreateRequest AutoReload(string paymentMethodId, string paymentId = "pay_01JD4RELOAD", long amount = 5000) => new()
    {
        PaymentId = paymentId,
        AccountId = "acct-ada",
        Amount = amount,
        Currency = "usd",
        CustomerId = StripeStandIn.CustomerId,
        PaymentMethodId = paymentMethodId,
        Description = "Auto-reload: 5,000 credits",
    };

    /// <summary>Stops both; and, whatever the test did, no log line may hold the secret key.</summary>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Stripe.DisposeAsync();
        Assert.DoesNotContain(Log.Lines, l => l.Text.Contains(Options.SecretKey[..^4], StringComparison.Ordinal));
    }
}
