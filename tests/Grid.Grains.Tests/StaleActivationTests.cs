using Grid.Grains.Tests.Support;
using Grid.Ledger.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Storage;
using Xunit;

namespace Grid.Grains.Tests;

/// <summary>
/// Two activations of one account over one store (two silos that both think they own it): one that finds in the journal
/// an entry the other wrote after it loaded is stale. It answers the retryable <c>unavailable</c> and reloads, and the
/// retry sees the store's truth; never a 500 that repeats forever. On SQLite and on PostgreSQL.
/// </summary>
public abstract class StaleActivationTests(string provider) : IAsyncLifetime
{
    private LedgerStorage _storage = null!;

    public async Task InitializeAsync() => _storage = await LedgerStorage.CreateAsync(provider);

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task A_stale_activation_that_looks_up_a_newer_entry_reloads_and_the_retry_succeeds()
    {
        await using var first = await LedgerSilo.StartAsync(_storage.Options, ledger: o => o.IdempotencyWindow = 16);
        await using var second = await LedgerSilo.StartAsync(_storage.Options, ledger: o => o.IdempotencyWindow = 16);
        var writer = first.Account("stale");
        await writer.Execute(new OpenAccount());
        await writer.Execute(new Deposit("dep", 1_000));
        for (var i = 0; i < 20; i++)
        {
            await writer.Execute(new Debit($"d{i}", 1));
        }

        var stale = second.Account("stale");
        Assert.Equal(22, (await stale.GetBalance()).Sequence); // loaded with a window that does not reach back to the start
        await writer.Execute(new PlaceHold("late", 100));

        // The capture names a hold the stale activation never saw; its look-up finds entry 23, written by the other one.
        var refused = await Assert.ThrowsAsync<LedgerException>(() => stale.Execute(new CaptureHold("cap", "late", 50)));
        Assert.Equal(LedgerErrorCodes.Unavailable, refused.Code);
        Assert.True(refused.IsRetryable);

        var captured = await stale.Execute(new CaptureHold("cap", "late", 50));
        Assert.Equal(new Balance(930, 0, 24), captured.Balance); // a final capture: the other 50 go back
        Assert.Equal(24, (await second.Store.ReadJournalAsync("stale", 0, 100, CancellationToken.None)).Count);
    }
}

public sealed class SqliteStaleActivationTests() : StaleActivationTests(StorageOptions.Sqlite);

public sealed class PostgresStaleActivationTests() : StaleActivationTests(StorageOptions.Postgres);
