using Grid.Contracts.Payments;
using Grid.Grains.Hosting;
using Grid.Grains.Payments;
using Grid.Grains.Tests.Support;
using Grid.Ledger.Errors;
using Grid.Runtime;
using Grid.Runtime.Hosting;
using Grid.Storage;
using Grid.TestKit;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Grid.Grains.Tests.Payments;

/// <summary>
/// An account's Checkout Sessions: refused from the start of a close until it ends (for good once closed, and after a
/// close abandoned midway only for a while), listed whole for the close, and bounded. In-process silo on SQLite, on a
/// clock moved by hand.
/// </summary>
public sealed class OpenCheckoutsGrainTests : IAsyncLifetime
{
    private static readonly TimeSpan Abandoned = OpenCheckoutsGrain.AbandonedCloseAfter(new GrainRuntimeOptions().ResponseTimeout);
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private LedgerStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await LedgerStorage.CreateAsync(StorageOptions.Sqlite);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task A_close_refuses_new_sessions_until_it_ends_and_for_good_once_the_account_closed()
    {
        await using var silo = await StartAsync();
        var checkouts = silo.Grains.GetGrain<IOpenCheckoutsGrain>("closing");
        await checkouts.Register("pay-1");
        await checkouts.Register("pay-2");
        await checkouts.Register("pay-1"); // a repeat notes nothing new

        var first = await checkouts.BeginClose();
        Assert.Equal(["pay-1", "pay-2"], first.PaymentIds);
        _clock.Advance(TimeSpan.FromMinutes(30)); // a slow close: Stripe slow to expire 200 sessions, say
        await AssertRefusedAsync(checkouts, "pay-3");

        // Two closes at once: the first ending (refused) does not end the second's refusal.
        var second = await checkouts.BeginClose();
        await checkouts.Forget(["pay-1"]);
        await checkouts.EndClose(first.Token, closed: false);
        await AssertRefusedAsync(checkouts, "pay-3");
        await checkouts.EndClose(second.Token, closed: false);
        await checkouts.Register("pay-3");
        Assert.Equal(["pay-2", "pay-3"], (await checkouts.BeginClose()).PaymentIds);

        await checkouts.AccountClosed();
        _clock.Advance(Abandoned);
        await AssertRefusedAsync(checkouts, "pay-4");
    }

    [Fact]
    public async Task A_close_lost_midway_stops_refusing_sessions_once_no_close_could_still_be_running()
    {
        await using var silo = await StartAsync();
        var checkouts = silo.Grains.GetGrain<IOpenCheckoutsGrain>("abandoned");
        await checkouts.BeginClose(); // its silo lost, or its ledger step unanswered: never ended
        _clock.Advance(Abandoned - TimeSpan.FromSeconds(1));
        await AssertRefusedAsync(checkouts, "pay-1");
        _clock.Advance(TimeSpan.FromSeconds(1));
        await checkouts.Register("pay-1");

        // Longer than 200 payments asked at the configured call timeout, and two hours at least.
        Assert.Equal(TimeSpan.FromHours(2), OpenCheckoutsGrain.AbandonedCloseAfter(TimeSpan.FromSeconds(30)));
        Assert.Equal(TimeSpan.FromMinutes(210), OpenCheckoutsGrain.AbandonedCloseAfter(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Sessions_are_bounded_and_only_those_stripe_has_expired_make_room()
    {
        await using var silo = await StartAsync();
        var checkouts = silo.Grains.GetGrain<IOpenCheckoutsGrain>("busy");
        await checkouts.Register("pay-asked-again");
        for (var i = 1; i < OpenCheckoutsGrain.MaxNoted; i++)
        {
            await checkouts.Register($"pay-{i}");
        }

        var full = await Assert.ThrowsAsync<LedgerException>(() => checkouts.Register("pay-one-more"));
        Assert.Equal((LedgerErrorCodes.InvalidState, "accountId"), (full.Code, full.Field));

        // One asked again (a lost answer retried) lives 24 hours from then; past the others' lifetime, the oldest of them
        // makes room, one a new session. The rest stay noted: one paid just before it lapsed may still wait for its credit
        // (Stripe sends a failed delivery again for days), and a close must ask it.
        _clock.Advance(TimeSpan.FromHours(2));
        await checkouts.Register("pay-asked-again");
        _clock.Advance(OpenCheckoutsGrain.SessionLifetime - TimeSpan.FromHours(2));
        await checkouts.Register("pay-one-more");
        var noted = (await checkouts.BeginClose()).PaymentIds;
        Assert.Equal(OpenCheckoutsGrain.MaxNoted, noted.Count);
        Assert.DoesNotContain("pay-1", noted);
        Assert.Contains("pay-2", noted);
        Assert.Contains("pay-one-more", noted);

        // Once no event of theirs can come any more, they are let go of.
        _clock.Advance(OpenCheckoutsGrain.NotedFor - OpenCheckoutsGrain.SessionLifetime);
        await checkouts.Register("pay-last");
        Assert.Equal(["pay-asked-again", "pay-last", "pay-one-more"], (await checkouts.BeginClose()).PaymentIds);
    }

    private static async Task AssertRefusedAsync(IOpenCheckoutsGrain checkouts, string paymentId)
    {
        var refused = await Assert.ThrowsAsync<LedgerException>(() => checkouts.Register(paymentId));
        Assert.Equal(LedgerErrorCodes.InvalidState, refused.Code);
    }

    private Task<LedgerSilo> StartAsync() =>
        LedgerSilo.StartAsync(_storage.Options, _clock, services: s => s.AddCardPayments(new ConfigurationBuilder().Build()));
}
