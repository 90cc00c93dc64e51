using Grid.Bench.Ledger;
using Grid.Client;
using Grid.Contracts.Accounts;
using Grid.Runtime;

namespace Grid.Bench.Cluster;

/// <summary>The ledger on N clustered silos in this process, called as a game server would: one embedded GridClient.</summary>
public sealed class ClientLedgerTarget(string name, BenchStore store, List<BenchSilo> silos, GridClient client)
    : AccountGrainTarget(name, store, name.Replace(' ', '-'))
{
    protected override IGrainFactory Grains => client;

    public static async Task<ClientLedgerTarget> StartAsync(BenchStore store, int silos)
    {
        var started = new List<BenchSilo>();
        for (var i = 0; i < silos; i++)
        {
            started.Add(await BenchSilo.StartAsync(store.GridStorage, $"s{silos}-{i}", ClusterBenchmark.FreePort()));
        }

        await ClusterBenchmark.SettleAsync(started);
        var options = new GridClientOptions { Endpoints = [started[0].Endpoint], Secret = BenchSilo.Secret };
        var client = await GridClient.ConnectAsync(options);
        return new ClientLedgerTarget($"{silos} silo(s)", store, started, client);
    }

    public override async ValueTask DisposeAsync()
    {
        await client.DisposeAsync();
        foreach (var silo in silos)
        {
            await silo.DisposeAsync();
        }
    }
}
