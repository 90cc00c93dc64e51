using Grid.Contracts.Casts;
using Grid.Grains.Hosting;
using Grid.Grains.Tests.Support;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Runtime;
using Grid.Storage;
using Grid.TestKit;
using Xunit;

namespace Grid.Grains.Tests.Casts;

/// <summary>
/// A start sent again is judged by what its client sent: values the silo's configuration filled in (the price table,
/// the default buffer and timeout) may have changed between the first start and its retry, and the retry still
/// answers the first start. In-process silo on SQLite.
/// </summary>
public sealed class CastRepeatTests : IAsyncLifetime
{
    private const CastStartDefaults AllDefaulted = CastStartDefaults.Quote | CastStartDefaults.BufferPercent | CastStartDefaults.Timeout;
    private LedgerStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await LedgerStorage.CreateAsync(StorageOptions.Sqlite);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task A_retry_after_the_configuration_changed_answers_the_first_start_and_holds_nothing_more()
    {
        await using var silo = await LedgerSilo.StartAsync(_storage.Options, services: s => s.AddCasts());
        await silo.Account("repeat").Execute(new OpenAccount());
        await silo.Account("repeat").Execute(new Deposit("fund", 1_000));
        var cast = silo.Grains.GetGrain<ICastGrain>("repeat-1");

        var first = await cast.Start(new CastStart("repeat-1", "repeat", 30, 20, "upscale", TimeSpan.FromMinutes(10), AllDefaulted));
        // The operator repriced upscale, raised the buffer and shortened the timeout; the client sent the same body.
        var retried = await cast.Start(new CastStart("repeat-1", "repeat", 35, 25, "upscale", TimeSpan.FromMinutes(5), AllDefaulted));
        Assert.Equal(first, retried);
        Assert.Equal(36, retried.Held);
        Assert.Equal(964, (await silo.Account("repeat").Get())!.Balance.Available);

        // The same values sent by hand are another request, and the conflict names the first that differs.
        var sentByHand = await Assert.ThrowsAsync<LedgerException>(() =>
            cast.Start(new CastStart("repeat-1", "repeat", 30, 20, "upscale", TimeSpan.FromMinutes(10))));
        Assert.Equal((LedgerErrorCodes.IdempotencyConflict, "quote"), (sentByHand.Code, sentByHand.Field));
        var otherKind = await Assert.ThrowsAsync<LedgerException>(() =>
            cast.Start(new CastStart("repeat-1", "repeat", 30, 20, "render", TimeSpan.FromMinutes(10), AllDefaulted)));
        Assert.Equal((LedgerErrorCodes.IdempotencyConflict, "kind"), (otherKind.Code, otherKind.Field));
        Assert.Equal(964, (await silo.Account("repeat").Get())!.Balance.Available);
    }
}
