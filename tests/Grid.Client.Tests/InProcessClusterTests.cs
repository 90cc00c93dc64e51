using Grid.Contracts.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Runtime;
using Grid.TestKit;
using Xunit;

namespace Grid.Client.Tests;

/// <summary>The cluster's single-activation and failover behaviour with silos in this process.</summary>
public sealed class InProcessClusterTests
{
    private const int Accounts = 24;

    private static async Task<int> AccountActivationsAsync(InProcessCluster cluster) =>
        await Task.FromResult(Enumerable.Range(0, cluster.Size).Where(cluster.IsRunning).Sum(i => cluster.Grains(i).ActivationCount));

    [Fact]
    public async Task Grains_called_through_every_silo_have_one_activation_and_move_when_silos_die_and_return()
    {
        await using var cluster = await InProcessCluster.StartAsync(3, suspectTimeout: TestCluster.FailureDetection);
        for (var i = 0; i < Accounts; i++)
        {
            await cluster.Grains(i % 3).GetGrain<IAccountGrain>($"ip-{i}").Execute(new OpenAccount());
            for (var silo = 0; silo < 3; silo++)
            {
                await cluster.Grains(silo).GetGrain<IAccountGrain>($"ip-{i}").Execute(new Deposit($"d-{silo}", 10));
            }
        }

        Assert.Equal(Accounts, await AccountActivationsAsync(cluster)); // one each, at its owner
        Assert.All(Enumerable.Range(0, 3), silo => Assert.InRange(cluster.Grains(silo).ActivationCount, 1, Accounts - 2));

        await cluster.KillSiloAsync(1);
        await cluster.SettleAsync(); // the survivors drop it after the suspect timeout
        for (var i = 0; i < Accounts; i++)
        {
            var after = await cluster.Grains(i % 2 == 0 ? 0 : 2).GetGrain<IAccountGrain>($"ip-{i}").Execute(new Deposit("after-kill", 1));
            Assert.Equal(31, after.Balance.Available);
        }

        await cluster.StartSiloAsync(1);
        await cluster.SettleAsync();
        for (var i = 0; i < Accounts; i++)
        {
            var back = await cluster.Grains(1).GetGrain<IAccountGrain>($"ip-{i}").Execute(new Deposit("after-restart", 1));
            Assert.Equal(32, back.Balance.Available);
        }

        // Grains silo-1 owns again left the survivors when their views changed: still one activation each.
        await Eventually.TrueAsync(async () => await AccountActivationsAsync(cluster) == Accounts, "one activation per account again");

        await cluster.StopSiloAsync(2); // graceful: announce, hand over
        await cluster.SettleAsync();
        var journal = await cluster.Grains(0).GetGrain<IAccountGrain>("ip-5").GetJournal(0, 100);
        Assert.Equal(["~open", "d-0", "d-1", "d-2", "after-kill", "after-restart"], journal.Entries.Select(e => e.OperationId));
    }

    [Fact]
    public async Task In_a_split_view_the_stale_silo_s_write_is_fenced_and_the_retry_lands_at_the_owner()
    {
        // Silo 1's clock never moves: it stops heartbeating and refreshing (it joined after silo 0, so it saw it).
        // Silo 0 drops it after the suspect timeout and owns everything; silo 1 still believes it owns its share.
        var frozen = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await InProcessCluster.StartAsync(2, new Dictionary<int, TimeProvider> { [1] = frozen }, suspectTimeout: TestCluster.FailureDetection);
        try
        {
            // Silo 0 saw silo 1 join; it drops it once silo 1's one heartbeat is older than the suspect timeout.
            var staleAt = frozen.GetUtcNow().AddSeconds(2.5);
            if (staleAt > DateTimeOffset.UtcNow)
            {
                await Task.Delay(staleAt - DateTimeOffset.UtcNow);
            }

            await Eventually.TrueAsync(() => cluster.View(0).Silos.Select(s => s.Name).SequenceEqual(["silo-0"]), "silo 0 drops the stale silo");
            Assert.Equal(["silo-0", "silo-1"], cluster.View(1).Silos.Select(s => s.Name).Order(StringComparer.Ordinal));
            var account = Enumerable.Range(0, 1_000).Select(i => $"split-{i}")
                .First(id => cluster.View(1).OwnerOf(new GrainId("account", id))!.Name == "silo-1");

            var stale = cluster.Grains(1).GetGrain<IAccountGrain>(account);
            var owner = cluster.Grains(0).GetGrain<IAccountGrain>(account);
            await stale.Execute(new OpenAccount());
            await stale.Execute(new Deposit("via-stale", 10)); // silo 1's activation now holds sequence 2
            await owner.Execute(new Deposit("via-owner", 20)); // silo 0 activates it too, reads 2, writes 3
            Assert.Equal((1, 1), (cluster.Grains(0).ActivationCount, cluster.Grains(1).ActivationCount)); // the split: one on each

            var fenced = await Assert.ThrowsAsync<LedgerException>(() => stale.Execute(new Deposit("retried", 5)));
            Assert.Equal(LedgerErrorCodes.Unavailable, fenced.Code); // its append lost to the journal's sequence check
            Assert.True(fenced.IsRetryable);

            // The caller retries through a client whose view comes from the table: the retry goes to the owner.
            await using var client = await GridClient.ConnectAsync(GridClientTests.Options(o => o.MembershipConnectionString = cluster.ConnectionString));
            Assert.Equal(["silo-0"], client.View.Silos.Select(s => s.Name));
            var retried = await client.GetGrain<IAccountGrain>(account).Execute(new Deposit("retried", 5));
            Assert.False(retried.Replayed);
            Assert.Equal(35, retried.Balance.Available);

            var journal = await owner.GetJournal(0, 100);
            Assert.Equal(["~open", "via-stale", "via-owner", "retried"], journal.Entries.Select(e => e.OperationId));
            Assert.Equal([1L, 2L, 3L, 4L], journal.Entries.Select(e => e.Sequence));
        }
        finally
        {
            await cluster.KillSiloAsync(1); // its frozen clock would hold a graceful leave forever
        }
    }
}
