using Grid.Storage.Stores;
using Xunit;

namespace Grid.Storage.Tests;

/// <summary>Used sign-in nonces: each can be marked used once, and expired ones are purged.</summary>
public abstract partial class StorageContractTests
{
    private static readonly DateTimeOffset NonceUsed = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private SqlSiweNonceStore Nonces => new(Database);

    [Fact]
    public async Task A_nonce_is_marked_used_exactly_once()
    {
        Assert.False(await Nonces.IsUsedAsync("nonce-once-0001", Ct));
        Assert.True(await Nonces.TryMarkUsedAsync("nonce-once-0001", NonceUsed, NonceUsed.AddMinutes(10), Ct));
        Assert.False(await Nonces.TryMarkUsedAsync("nonce-once-0001", NonceUsed, NonceUsed.AddMinutes(10), Ct));
        Assert.True(await Nonces.IsUsedAsync("nonce-once-0001", Ct));
    }

    [Fact]
    public async Task Of_many_racing_uses_one_wins()
    {
        var wins = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ =>
            Task.Run(() => Nonces.TryMarkUsedAsync("nonce-raced-001", NonceUsed, NonceUsed.AddMinutes(10), Ct))));

        Assert.Single(wins, won => won);
    }

    [Fact]
    public async Task Expired_used_nonces_are_purged()
    {
        await Nonces.TryMarkUsedAsync("nonce-expiring1", NonceUsed, NonceUsed.AddMinutes(10), Ct);
        await Nonces.TryMarkUsedAsync("nonce-lasting01", NonceUsed, NonceUsed.AddMinutes(30), Ct);

        Assert.Equal(1, await Nonces.PurgeExpiredAsync(NonceUsed.AddMinutes(10), Ct)); // expiry is exclusive
        Assert.Equal(0, await Nonces.PurgeExpiredAsync(NonceUsed.AddMinutes(10), Ct));
        Assert.False(await Nonces.IsUsedAsync("nonce-expiring1", Ct));
        Assert.True(await Nonces.IsUsedAsync("nonce-lasting01", Ct));
    }
}
