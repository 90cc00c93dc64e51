using Grid.Gateway.Auth;
using Grid.Gateway.Siwe;
using Grid.Storage;
using Grid.Storage.Migrations;
using Grid.Storage.Stores;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Tests;

/// <summary>
/// A used sign-in nonce stays recorded a while past its expiry. Two silos' clocks differ: one running ahead purges what
/// looks expired there, and a purge at its expiry would let a silo whose clock is on time take the captured signed
/// message once more. Two nonce checkers with clocks two minutes apart share one store.
/// </summary>
public sealed class SiweNonceClockSkewTests : IAsyncLifetime
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly TemporaryDirectory _directory = new();
    private GridDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = GridDatabase.Create(new StorageOptions { Provider = StorageOptions.Sqlite, DataDirectory = _directory.Path });
        await new MigrationRunner(_database, TimeProvider.System).ApplyAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_silo_whose_clock_runs_ahead_does_not_purge_a_nonce_another_silo_still_takes()
    {
        var onTime = new ManualTimeProvider();
        var ahead = new ManualTimeProvider(onTime.GetUtcNow() + TimeSpan.FromMinutes(2));
        var store = new SqlSiweNonceStore(_database);
        var here = Nonces(store, onTime);
        var there = Nonces(store, ahead);

        var (nonce, _) = here.Issue();
        Assert.True(await here.TryMarkUsedAsync(nonce, CancellationToken.None));

        // A minute before the nonce expires on time, the silo two minutes ahead sees it expired and purges (on the next
        // nonce it marks, past its purge period).
        onTime.Advance(Lifetime - TimeSpan.FromMinutes(1));
        ahead.Advance(Lifetime - TimeSpan.FromMinutes(1));
        Assert.True(await there.TryMarkUsedAsync(there.Issue().Nonce, CancellationToken.None));

        Assert.False(await here.IsUsableAsync(nonce, CancellationToken.None));
        Assert.False(await here.TryMarkUsedAsync(nonce, CancellationToken.None));
    }

    private static SiweNonces Nonces(SqlSiweNonceStore store, TimeProvider clock) =>
        new(store, Options.Create(new AuthOptions { TokenSecret = new string('k', AuthOptions.MinTokenSecretLength), Siwe = { NonceLifetime = Lifetime } }), clock);
}
