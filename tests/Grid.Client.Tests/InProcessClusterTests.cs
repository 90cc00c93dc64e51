using Grid.Contracts.Accounts;
using Grid.Ledger.Commands;
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
        await using var cluster = await InProcessCluster.StartAsync(3);
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
}
