using Grid.Contracts.Payments;
using Grid.Grains.Hosting;
using Grid.Grains.Payments;
using Grid.Grains.Tests.Support;
using Grid.Ledger.Errors;
using Grid.Runtime;
using Grid.Storage;
using Grid.TestKit;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Grid.Grains.Tests.Payments;

/// <summary>
/// An account's open Checkout Sessions: refused while a close runs, forgotten once Stripe could no longer take them,
/// and bounded. In-process silo on SQLite, on a clock moved by hand.
/// </summary>
public sealed class OpenCheckoutsGrainTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private LedgerStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await LedgerStorage.CreateAsync(StorageOptions.Sqlite);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task A_close_under_way_refuses_new_sessions_for_its_own_time_and_lists_those_open()
    {
        await using var silo = await StartAsync();
        var checkouts = silo.Grains.GetGrain<IOpenCheckoutsGrain>("closing");
        await checkouts.Register("pay-1");
        await checkouts.Register("pay-2");
        await checkouts.Register("pay-1"); // a repeat notes nothing new

        Assert.Equal(["pay-1", "pay-2"], await checkouts.BeginClose());
        var refused = await Assert.ThrowsAsync<LedgerException>(() => checkouts.Register("pay-3"));
        Assert.Equal(LedgerErrorCodes.InvalidState, refused.Code);

        await checkouts.Forget(["pay-1"]);
        _clock.Advance(OpenCheckoutsGrain.ClosingHold); // the close was refused, and its time is over
        await checkouts.Register("pay-3");
        Assert.Equal(["pay-2", "pay-3"], await checkouts.BeginClose());
    }

    [Fact]
    public async Task Sessions_stripe_has_expired_are_forgotten_and_the_open_ones_are_bounded()
    {
        await using var silo = await StartAsync();
        var checkouts = silo.Grains.GetGrain<IOpenCheckoutsGrain>("busy");
        for (var i = 0; i < OpenCheckoutsGrain.MaxOpen; i++)
        {
            await checkouts.Register($"pay-{i}");
        }

        var full = await Assert.ThrowsAsync<LedgerException>(() => checkouts.Register("pay-one-more"));
        Assert.Equal((LedgerErrorCodes.InvalidState, "accountId"), (full.Code, full.Field));

        // Past the lifetime of a Stripe session, none of them can be paid: forgotten, and there is room again.
        _clock.Advance(OpenCheckoutsGrain.SessionLifetime);
        await checkouts.Register("pay-one-more");
        Assert.Equal(["pay-one-more"], await checkouts.BeginClose());
    }

    private Task<LedgerSilo> StartAsync() =>
        LedgerSilo.StartAsync(_storage.Options, _clock, services: s => s.AddCardPayments(new ConfigurationBuilder().Build()));
}
