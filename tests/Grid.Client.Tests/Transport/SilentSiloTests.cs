using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Grid.Contracts.Accounts;
using Grid.Ledger.Commands;
using Grid.Runtime;
using Grid.Runtime.Hosting;
using Grid.TestKit;
using Xunit;

namespace Grid.Client.Tests.Transport;

/// <summary>
/// A silo whose host is gone without a reset (powered off, cut off by a firewall) does not refuse a connection: the
/// connect times out, which .NET reports as a cancellation. That must read as "this silo is unavailable", like a
/// refused connection, and never as the caller's own cancellation: a client connects through the next endpoint, keeps
/// refreshing its view, and an idempotent call to a grain the silent silo owned goes to its new owner. And a grain's
/// failure reaches a caller on another silo as the same exception it would be on its own silo.
/// </summary>
public sealed class SilentSiloTests
{
    [Fact]
    public async Task A_client_connects_through_the_next_endpoint_when_the_first_host_is_silent()
    {
        await using var cluster = await InProcessCluster.StartAsync(1);
        using var silent = SilentHost.Listen();

        await using var client = await GridClient.ConnectAsync(GridClientTests.Options(o =>
            o.Endpoints = [silent.Endpoint, new Uri(cluster.View(0).Silos[0].Endpoint)]));

        Assert.Equal(["silo-0"], client.View.Silos.Select(s => s.Name));
    }

    [Fact]
    public async Task A_client_drops_a_silo_whose_host_went_silent_and_an_idempotent_call_reaches_the_new_owner()
    {
        await using var cluster = await InProcessCluster.StartAsync(2, suspectTimeout: TestCluster.FailureDetection);
        await using var client = await GridClient.ConnectAsync(GridClientTests.Options(o =>
        {
            o.Endpoints = cluster.View(0).Silos.Select(s => new Uri(s.Endpoint)).ToArray();
            o.ResponseTimeout = TimeSpan.FromSeconds(20);
        }));
        var first = client.View.Silos[0]; // every refresh asks it first
        var account = Enumerable.Range(0, 1_000).Select(i => "silent-" + i.ToString(CultureInfo.InvariantCulture))
            .First(id => client.View.OwnerOf(new GrainId("account", id))!.SiloId == first.SiloId);
        await client.GetGrain<IAccountGrain>(account).Execute(new OpenAccount());

        await cluster.KillSiloAsync(int.Parse(first.Name["silo-".Length..], CultureInfo.InvariantCulture));
        using var silent = SilentHost.Listen(new Uri(first.Endpoint).Port);

        await Eventually.TrueAsync(() => client.View.Silos.All(s => s.SiloId != first.SiloId), "the client's view dropped the silent silo", within: TimeSpan.FromSeconds(30));
        var deposited = await client.GetGrain<IAccountGrain>(account).Execute(new Deposit("after-silence", 5));
        Assert.Equal(5, deposited.Balance.Available);
    }

    [Fact]
    public async Task A_failed_activation_on_another_silo_arrives_as_the_same_exception_as_on_its_own()
    {
        await using var cluster = await InProcessCluster.StartAsync(2, configure: s => s.AddGrain<ActivationProbeGrain>());
        var keys = Enumerable.Range(0, 1_000).Select(i => "act-" + i.ToString(CultureInfo.InvariantCulture))
            .Where(k => cluster.View(0).OwnerOf(new GrainId(ActivationProbeGrain.TypeName, k))!.Name == "silo-1").Take(2).ToArray();

        var local = await Assert.ThrowsAsync<GrainActivationException>(() => cluster.Grains(1).GetGrain<IActivationProbeGrain>(keys[0]).Ping());
        var remote = await Assert.ThrowsAsync<GrainActivationException>(() => cluster.Grains(0).GetGrain<IActivationProbeGrain>(keys[1]).Ping());

        Assert.Equal(new GrainId(ActivationProbeGrain.TypeName, keys[1]), remote.GrainId);
        Assert.Contains("its state could not be read", remote.Message, StringComparison.Ordinal);
        Assert.Contains("its state could not be read", local.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A port that takes no connection and refuses none: a listener that never accepts, its one-slot queue filled, so
    /// the kernel drops further connection requests and a connect waits until it times out.
    /// </summary>
    private sealed class SilentHost : IDisposable
    {
        private readonly Socket _listener;
        private readonly List<Socket> _queued = [];

        private SilentHost(int port)
        {
            _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            _listener.Listen(0);
            for (var i = 0; i < 4; i++)
            {
                var queued = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                _ = queued.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
                _queued.Add(queued);
            }

            Endpoint = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        }

        public Uri Endpoint { get; }

        public static SilentHost Listen(int? port = null) => new(port ?? SiloProcess.FreePort());

        public void Dispose()
        {
            _listener.Dispose();
            _queued.ForEach(s => s.Dispose());
        }
    }
}
