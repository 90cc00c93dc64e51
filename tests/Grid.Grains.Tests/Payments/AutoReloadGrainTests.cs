using Grid.Contracts.Payments;
using Grid.Grains.Hosting;
using Grid.Grains.Tests.Support;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Runtime;
using Grid.Runtime.Reminders;
using Grid.Storage;
using Grid.Storage.Stores;
using Grid.Stripe.TestKit.StandIn;
using Grid.TestKit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Grid.Grains.Tests.Payments;

/// <summary>
/// The auto-reload grain where the gateway cannot help (the embedded client calls grains directly): an account closed
/// behind its back, a close asked of the account itself, a charge whose answer never came, and a reminder table out of
/// reach while settings change. In-process silo on SQLite, the Stripe stand-in as Stripe.
/// </summary>
public sealed class AutoReloadGrainTests() : StandInStripeTests(StorageOptions.Sqlite)
{
    [Fact]
    public async Task A_charge_whose_start_went_unanswered_is_never_sent_once_the_account_is_closed_and_auto_reload_turns_off()
    {
        // The check runs only when the test moves the clock: none may be asking Stripe while the account closes (a check
        // asking before the close, its answer after, is a charge the close raced, not one the check sent afterwards).
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var silo = await StartAsync(time: clock, settings: new() { ["Grid:Stripe:MaxAttempts"] = "1" });
        await silo.Account("closing").Execute(new OpenAccount());
        var autoReload = silo.Grains.GetGrain<IAutoReloadGrain>("closing");

        // Stripe does not answer: the charge is recorded as under way (0 available is below the threshold) but not sent.
        StandIn.FailEveryRequest(new StandInFault.ServerError(503));
        var configured = await autoReload.Configure(Settings());
        var paymentId = configured.InFlightPaymentId;
        Assert.NotNull(paymentId);

        // Closed behind auto-reload's back (its threshold cleared by a settings change first, as the account refuses to
        // close while it is set), then Stripe answers again: the check reminder must not send the charge.
        await silo.Account("closing").Execute(new ChangeSettings("settings", 0, 1_000, null));
        await silo.Account("closing").Execute(new CloseAccount("close"));
        StandIn.FailEveryRequest(null);
        clock.Advance(TimeSpan.FromSeconds(1)); // the check period

        AutoReloadView view = null!;
        await Eventually.TrueAsync(async () => (view = await autoReload.Get()).InFlightPaymentId is null, "the charge let go");
        Assert.False(view.Enabled);
        Assert.Contains("closed", view.DisabledReason, StringComparison.Ordinal);
        Assert.Equal(paymentId, view.LastPaymentId);
        Assert.Equal(0, StandIn.PaymentIntentsCreated); // no card charged for credits no account can take
        Assert.Equal(PaymentStatus.Created, (await silo.Grains.GetGrain<IPaymentGrain>(paymentId).Get())!.Status);
    }

    [Fact]
    public async Task Settings_whose_first_charge_outlasts_the_call_timeout_are_answered_as_saved_and_the_charge_stays_under_way()
    {
        // Calls get 6 s; Stripe's one attempt hangs for 8: longer than the caller of the settings waits.
        await using var silo = await StartAsync(
            replace: s => s.Configure<Grid.Runtime.Hosting.GrainRuntimeOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(6)),
            settings: new() { ["Grid:Stripe:MaxAttempts"] = "1", ["Grid:Stripe:AttemptTimeout"] = "00:00:08" });
        await silo.Account("slow-stripe").Execute(new OpenAccount());
        var autoReload = silo.Grains.GetGrain<IAutoReloadGrain>("slow-stripe");

        // The payment's call gives up first: the charge's outcome is unknown, the settings are saved, and the caller hears so.
        StandIn.FailEveryRequest(new StandInFault.Hang());
        var configured = await autoReload.Configure(Settings());
        StandIn.FailEveryRequest(null);

        Assert.True(configured.Enabled);
        Assert.NotNull(configured.InFlightPaymentId); // the check reminder asks again under the same payment id
        Assert.Equal(1_000, (await silo.Account("slow-stripe").Get())!.Settings.AutoReloadThreshold);
    }

    [Fact]
    public async Task A_take_back_heard_after_a_check_found_its_threshold_cleared_names_the_payment_in_the_reason()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var silo = await StartAsync(time: clock);
        await silo.Account("taken").Execute(new OpenAccount());
        await silo.Account("taken").Execute(new Deposit("fund", 2_000));
        var autoReload = silo.Grains.GetGrain<IAutoReloadGrain>("taken");
        Assert.True((await autoReload.Configure(Settings())).Enabled);

        // A payment taking credits back clears the threshold first and tells auto-reload after its own entry: a check
        // between the two finds no threshold and turns off, for a reason that cannot yet name the payment.
        await silo.Account("taken").Execute(new ChangeSettings("taken-back", 0, 1_000, null));
        await autoReload.Trigger();
        var found = await autoReload.Get();
        Assert.False(found.Enabled);
        Assert.Contains("no auto-reload threshold", found.DisabledReason, StringComparison.Ordinal);

        await autoReload.CreditsTakenBack("pay-taken-back");
        var told = await autoReload.Get();
        Assert.False(told.Enabled);
        Assert.Contains("pay-taken-back", told.DisabledReason, StringComparison.Ordinal);

        // Off already for a reason that names its cause, a later word keeps it.
        await autoReload.CreditsTakenBack("pay-later");
        Assert.Equal(told.DisabledReason, (await autoReload.Get()).DisabledReason);
        Assert.Equal(0, StandIn.PaymentIntentsCreated);
    }

    [Fact]
    public async Task An_account_whose_auto_reload_is_on_refuses_to_close_even_when_asked_directly()
    {
        await using var silo = await StartAsync();
        await silo.Account("direct").Execute(new OpenAccount());
        await silo.Account("direct").Execute(new Deposit("fund", 2_000));
        var autoReload = silo.Grains.GetGrain<IAutoReloadGrain>("direct");
        await autoReload.Configure(Settings());
        await silo.Account("direct").Execute(new Debit("spend", 500)); // 1,500 left: above the threshold, nothing charged
        await silo.Account("direct").Execute(new Refund("empty", 1_500)); // below it now: a charge goes out

        // The account's own order decides: no close slips in beside an auto-reload, whoever asks (here the grain, as the
        // embedded client would, without the gateway's check).
        var refused = await Assert.ThrowsAsync<LedgerException>(() => silo.Account("direct").Execute(new CloseAccount("close")));
        Assert.Equal(LedgerErrorCodes.InvalidState, refused.Code);
        Assert.Contains("auto-reload", refused.Message, StringComparison.Ordinal);
        Assert.NotNull(await autoReload.ClosingRefusal());
        Assert.Equal(Grid.Ledger.Accounts.AccountStatus.Active, (await silo.Account("direct").Get())!.Status);
    }

    [Fact]
    public async Task A_charge_let_go_without_an_answer_keeps_the_account_open_until_stripe_could_no_longer_credit_it()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var silo = await StartLettingGoAsync(clock);
        var (autoReload, paymentId) = await LetGoUnansweredAsync(silo, clock, "unanswered");

        // The first ask may have charged the card: its webhook could still come, and only an open account takes it.
        var refusal = await autoReload.ClosingRefusal();
        Assert.NotNull(refusal);
        Assert.Contains(paymentId, refusal, StringComparison.Ordinal);

        // Past MaxPending no webhook is coming: the account may close.
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Null(await autoReload.ClosingRefusal());
        await silo.Account("unanswered").Execute(new CloseAccount("close"));
        Assert.Equal(0, StandIn.PaymentIntentsCreated);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Turned_on_again_while_a_charge_let_go_without_an_answer_may_still_be_made_it_is_asked_again_the_same_or_waited_for(bool sameCard)
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var silo = await StartLettingGoAsync(clock);
        var (autoReload, paymentId) = await LetGoUnansweredAsync(silo, clock, "toggled");

        // On again, still below the threshold: the first charge may have been made, and a new one would pay twice.
        var again = await autoReload.Configure(sameCard ? Settings() : Settings() with { PaymentMethodId = StripeStandIn.CardInsufficientFunds });
        Assert.True(again.Enabled);
        if (sameCard)
        {
            // The same card and amount: the charge is asked for again under its own idempotency key, so Stripe makes it once.
            Assert.Equal(paymentId, again.InFlightPaymentId);
            Assert.Equal(1, StandIn.PaymentIntentsCreated);
            Assert.All(
                StandIn.Requests.Where(r => r.Path == "/v1/payment_intents"),
                r => Assert.Equal($"grid:{paymentId}:payment_intent", r.IdempotencyKey));
            return;
        }

        // Another card: nothing new until the first could no longer be made (MaxPending), then the check charges anew.
        Assert.Null(again.InFlightPaymentId);
        Assert.Equal(paymentId, again.LastPaymentId);
        Assert.Equal(0, StandIn.PaymentIntentsCreated);
        clock.Advance(TimeSpan.FromSeconds(4));
        await Eventually.TrueAsync(
            async () => await autoReload.Get() is var view && ((view.InFlightPaymentId ?? view.LastPaymentId) is { } next && next != paymentId),
            "a new charge"); // this card is declined: the new charge may already have ended
    }

    [Fact]
    public async Task Settings_whose_reminder_cannot_be_registered_change_nothing_and_saving_them_again_works()
    {
        FailingReminderTable? reminders = null;
        await using var silo = await StartAsync(s => s.AddSingleton<IReminderTable>(sp =>
            reminders = new FailingReminderTable(new SqlReminderTable(sp.GetRequiredService<GridDatabase>()))));
        await silo.Account("funded").Execute(new OpenAccount());
        await silo.Account("funded").Execute(new Deposit("fund", 2_000));
        var autoReload = silo.Grains.GetGrain<IAutoReloadGrain>("funded");

        reminders!.FailNext();
        await Assert.ThrowsAnyAsync<Exception>(() => autoReload.Configure(Settings()));

        // Nothing a later charge could act on without a reminder to check on it: still off, the account's threshold unset.
        var view = await autoReload.Get();
        Assert.False(view.Enabled);
        Assert.Null(view.Settings);
        Assert.Null((await silo.Account("funded").Get())!.Settings.AutoReloadThreshold);

        var saved = await autoReload.Configure(Settings());
        Assert.True(saved.Enabled);
        Assert.Null(saved.InFlightPaymentId); // 2,000 is not below 1,000
        Assert.Equal(1_000, (await silo.Account("funded").Get())!.Settings.AutoReloadThreshold);
        Assert.Equal(0, StandIn.PaymentIntentsCreated);
    }

    [Fact]
    public async Task An_unanswered_start_is_asked_again_only_while_stripe_surely_keeps_its_idempotency_key()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var silo = await StartAsync(time: clock, settings: new()
        {
            ["Grid:Stripe:MaxAttempts"] = "1", // no waits between attempts on a clock that only moves by hand
            ["Grid:AutoReload:CheckPeriod"] = "12:00:00", // one check at the end of each step below
        });
        await silo.Account("late").Execute(new OpenAccount());
        var autoReload = silo.Grains.GetGrain<IAutoReloadGrain>("late");
        StandIn.FailEveryRequest(new StandInFault.ServerError(503));
        var paymentId = (await autoReload.Configure(Settings())).InFlightPaymentId!;
        var asks = AsksFor(paymentId);

        // Twelve hours on, Stripe still down: the check asks again with the same key.
        clock.Advance(TimeSpan.FromHours(12));
        await Eventually.TrueAsync(() => AsksFor(paymentId) > asks, "the start asked again");

        // Stripe answers again, but 24 hours have gone by: a repeat could create a second PaymentIntent, so none is sent.
        StandIn.FailEveryRequest(null);
        asks = AsksFor(paymentId);
        clock.Advance(TimeSpan.FromHours(12));
        AutoReloadView view = null!;
        await Eventually.TrueAsync(async () => (view = await autoReload.Get()).InFlightPaymentId is null, "the charge let go");
        Assert.False(view.Enabled);
        Assert.Contains("could charge the card twice", view.DisabledReason, StringComparison.Ordinal);
        Assert.Equal(asks, AsksFor(paymentId));
        Assert.Equal(0, StandIn.PaymentIntentsCreated);

        // The payment itself refuses to ask again that late, whoever calls.
        var start = new AutoReloadStart("late", 500, "usd", 5_000, StripeStandIn.CustomerId, StripeStandIn.CardSucceeds);
        var refused = await Assert.ThrowsAsync<LedgerException>(() => silo.Grains.GetGrain<IPaymentGrain>(paymentId).StartAutoReload(start));
        Assert.Equal(LedgerErrorCodes.InvalidState, refused.Code);
        Assert.Equal(0, StandIn.PaymentIntentsCreated);
    }

    private int AsksFor(string paymentId) =>
        StandIn.Requests.Count(r => r.Path == "/v1/payment_intents" && r.Field("metadata[payment_id]") == paymentId);

    /// <summary>
    /// A silo on a clock moved by hand (how long Stripe's refusals and the writes take must not count towards MaxPending,
    /// here 4 s), asking Stripe once per start.
    /// </summary>
    private Task<LedgerSilo> StartLettingGoAsync(TimeProvider clock) =>
        StartAsync(time: clock, settings: new() { ["Grid:AutoReload:MaxPending"] = "00:00:04", ["Grid:Stripe:MaxAttempts"] = "1" });

    /// <summary>
    /// Auto-reload of a new empty account charges while Stripe answers nothing, and is turned off: the check lets the
    /// charge go without asking again. Stripe answers again afterwards.
    /// </summary>
    private async Task<(IAutoReloadGrain AutoReload, string PaymentId)> LetGoUnansweredAsync(LedgerSilo silo, ManualTimeProvider clock, string account)
    {
        await silo.Account(account).Execute(new OpenAccount());
        var autoReload = silo.Grains.GetGrain<IAutoReloadGrain>(account);
        StandIn.FailEveryRequest(new StandInFault.ServerError(503));
        var paymentId = (await autoReload.Configure(Settings())).InFlightPaymentId!;
        await autoReload.Disable();
        clock.Advance(TimeSpan.FromSeconds(1)); // the check period
        await Eventually.TrueAsync(async () => (await autoReload.Get()).InFlightPaymentId is null, "the charge let go");
        StandIn.FailEveryRequest(null);
        return (autoReload, paymentId);
    }

    private static AutoReloadSettings Settings() =>
        new(StripeStandIn.CustomerId, StripeStandIn.CardSucceeds, ThresholdCredits: 1_000, AmountCents: 500, TargetCredits: null);

    private Task<LedgerSilo> StartAsync(Action<IServiceCollection>? replace = null, TimeProvider? time = null, Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?> { ["Grid:AutoReload:CheckPeriod"] = "00:00:01" };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        return StartCardSiloAsync(time, values, replace);
    }
}
