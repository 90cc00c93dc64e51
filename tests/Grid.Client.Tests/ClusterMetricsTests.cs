using System.Globalization;
using Grid.Contracts.Accounts;
using Grid.Gateway.Metrics;
using Grid.Ledger.Commands;
using Grid.Runtime;
using Xunit;

namespace Grid.Client.Tests;

/// <summary>Grain calls are counted once, by the silo that ran them, however many silos they crossed.</summary>
public sealed class ClusterMetricsTests
{
    private const int Accounts = 24;

    [Fact]
    public async Task A_call_sent_to_another_silo_is_counted_only_where_it_ran()
    {
        await using var cluster = await InProcessCluster.StartAsync(2);
        for (var i = 0; i < Accounts; i++)
        {
            await cluster.Grains(0).GetGrain<IAccountGrain>($"cm-{i}").Execute(new OpenAccount());
            await cluster.Grains(1).GetGrain<IAccountGrain>($"cm-{i}").Execute(new Deposit("d", 10));
        }

        var executed = Enumerable.Range(0, 2).Select(silo => ExecuteCalls(cluster.Service<PrometheusCollector>(silo).Scrape())).ToArray();
        Assert.Equal(2 * Accounts, executed.Sum()); // every call once, though each silo sent half of its calls to the other
        Assert.All(executed, count => Assert.InRange(count, 2, (2 * Accounts) - 2)); // both silos own some accounts
        Assert.All(executed, count => Assert.Equal(0, count % 2)); // an account's two calls both ran at its owner
    }

    private static long ExecuteCalls(string exposition)
    {
        const string prefix = "grid_grain_calls_total{grain=\"account\",method=\"IAccountGrain.Execute\",outcome=\"ok\"} ";
        var line = exposition.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return long.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }
}
