using Grid.Storage.Stores;
using Xunit;

namespace Grid.Storage.Tests;

/// <summary>Sign-in nonces: each usable once, only before it expires, and expired ones purged.</summary>
public abstract partial class StorageContractTests
{
    private static readonly DateTimeOffset NonceIssued = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private SqlSiweNonceStore Nonces => new(Database);

    [Fact]
    public async Task A_nonce_is_consumed_exactly_once()
    {
        await Nonces.InsertAsync("nonce-once-0001", NonceIssued, NonceIssued.AddMinutes(10), Ct);

        Assert.True(await Nonces.TryConsumeAsync("nonce-once-0001", NonceIssued.AddMinutes(1), Ct));
        Assert.False(await Nonces.TryConsumeAsync("nonce-once-0001", NonceIssued.AddMinutes(1), Ct));
        Assert.False(await Nonces.TryConsumeAsync("never-issued-01", NonceIssued.AddMinutes(1), Ct));
    }

    [Fact]
    public async Task Of_many_racing_consumers_one_wins()
    {
        await Nonces.InsertAsync("nonce-raced-001", NonceIssued, NonceIssued.AddMinutes(10), Ct);

        var wins = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => Nonces.TryConsumeAsync("nonce-raced-001", NonceIssued, Ct))));

        Assert.Single(wins, won => won);
    }

    [Fact]
    public async Task An_expired_nonce_is_refused_not_counted_and_purged()
    {
        await Nonces.InsertAsync("nonce-expiring1", NonceIssued, NonceIssued.AddMinutes(10), Ct);
        await Nonces.InsertAsync("nonce-lasting01", NonceIssued, NonceIssued.AddMinutes(30), Ct);
        var later = NonceIssued.AddMinutes(10);

        Assert.Equal(2, await Nonces.CountOutstandingAsync(NonceIssued, Ct));
        Assert.Equal(1, await Nonces.CountOutstandingAsync(later, Ct));
        Assert.False(await Nonces.TryConsumeAsync("nonce-expiring1", later, Ct)); // expiry is exclusive
        Assert.Equal(1, await Nonces.PurgeExpiredAsync(later, Ct));
        Assert.Equal(0, await Nonces.PurgeExpiredAsync(later, Ct));
        Assert.True(await Nonces.TryConsumeAsync("nonce-lasting01", later, Ct));
    }
}
