using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Grid.Runtime;
using Grid.Runtime.Core;
using Grid.Runtime.Hosting;
using Grid.Runtime.Transport;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Grid.Client.Tests.Transport;

/// <summary>
/// Grain calls between two silos in this process travel on call streams (one long HTTP/2 request per pair of silos,
/// many calls per write, answers in the order they finish). These check what that must not change: every answer
/// reaches its own call, a slow call holds up no other, a dead silo fails what waits on it at once, a silo that
/// leaves ends its streams without holding up its stop, and nothing a peer sends can take the silo down.
/// </summary>
public sealed class CallStreamTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Each_answer_reaches_its_own_call_and_a_slow_call_holds_up_no_other()
    {
        await using var cluster = await InProcessCluster.StartAsync(2, configure: AddProbe);
        var keys = KeysOwnedBy(cluster, "silo-1", 100);
        var gate = cluster.Service<CallProbeGate>(1);
        var gated = cluster.Grains(0).GetGrain<ICallProbeGrain>(keys[0]).WaitForGate();
        await gate.Entered.Task.WaitAsync(Bound);

        var echoes = await Task.WhenAll(Enumerable.Range(0, 3000).Select(i =>
            cluster.Grains(0).GetGrain<ICallProbeGrain>(keys[1 + (i % 99)]).Echo(i.ToString(CultureInfo.InvariantCulture)))).WaitAsync(Bound);

        for (var i = 0; i < echoes.Length; i++)
        {
            Assert.Equal($"{keys[1 + (i % 99)]}:{i}", echoes[i]);
        }

        Assert.False(gated.IsCompleted, "the gated call cannot finish before its gate opens");
        gate.Opened.TrySetResult();
        Assert.Equal("through", await gated.WaitAsync(Bound));

        // Silo 0 holds a call stream to silo 1 now; silo 1 leaving must end it rather than wait out the host's shutdown timeout.
        var stopping = Stopwatch.StartNew();
        await cluster.StopSiloAsync(1);
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"a graceful stop took {stopping.Elapsed}");
        Assert.Equal(new[] { "silo-0" }, cluster.View(0).Silos.Select(s => s.Name));
        Assert.Equal($"{keys[1]}:after", await cluster.Grains(0).GetGrain<ICallProbeGrain>(keys[1]).Echo("after").WaitAsync(Bound));
    }

    [Fact]
    public async Task A_call_waiting_on_a_silo_that_dies_fails_at_once_as_unavailable()
    {
        await using var cluster = await InProcessCluster.StartAsync(2, configure: AddProbe);
        var key = KeysOwnedBy(cluster, "silo-1", 1)[0];
        var gate = cluster.Service<CallProbeGate>(1);
        var gated = cluster.Grains(0).GetGrain<ICallProbeGrain>(key).WaitForGate();
        await gate.Entered.Task.WaitAsync(Bound);

        var killing = cluster.KillSiloAsync(1);
        var failure = await Assert.ThrowsAsync<SiloUnavailableException>(() => gated.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("cannot be reached", failure.Message, StringComparison.Ordinal);
        gate.Opened.TrySetResult(); // lets the dead silo's activation finish so its host can be disposed
        await killing.WaitAsync(Bound);
    }

    [Fact]
    public async Task A_call_too_large_to_cross_fails_alone_and_the_stream_goes_on()
    {
        await using var cluster = await InProcessCluster.StartAsync(2, configure: AddProbe);
        var key = KeysOwnedBy(cluster, "silo-1", 1)[0];
        var probe = cluster.Grains(0).GetGrain<ICallProbeGrain>(key);
        Assert.Equal($"{key}:before", await probe.Echo("before"));

        var tooLarge = await Assert.ThrowsAsync<InvalidOperationException>(() => probe.Echo(new string('x', RemoteCallProtocol.MaxBodyBytes + 1)));
        Assert.Contains("cross silos", tooLarge.Message, StringComparison.Ordinal);

        Assert.Equal($"{key}:after", await probe.Echo("after"));
    }

    [Fact]
    public async Task A_stream_without_the_secret_is_refused_and_a_broken_frame_drops_only_its_own_stream()
    {
        await using var cluster = await InProcessCluster.StartAsync(2, configure: AddProbe);
        var key = KeysOwnedBy(cluster, "silo-1", 1)[0];
        var endpoint = new Uri(cluster.View(0).Silos.Single(s => s.Name == "silo-1").Endpoint);
        using var http = new HttpClient(new SocketsHttpHandler()) { Timeout = Bound };

        using (var wrongSecret = await http.SendAsync(StreamRequest(endpoint, "not-the-cluster-secret", [])))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
        }

        // A frame longer than any the protocol allows: the silo drops that stream and keeps serving the others.
        var broken = new byte[CallFrames.HeaderBytes];
        BinaryPrimitives.WriteInt32LittleEndian(broken, int.MaxValue);
        var dropped = false;
        try
        {
            using var answer = await http.SendAsync(StreamRequest(endpoint, TestCluster.Secret, broken));
            var body = await answer.Content.ReadAsByteArrayAsync();
            Assert.Empty(body); // no answer frame for a frame that was not read
            dropped = true;
        }
        catch (HttpRequestException)
        {
            dropped = true; // the stream was reset
        }

        Assert.True(dropped);
        Assert.Equal($"{key}:still", await cluster.Grains(0).GetGrain<ICallProbeGrain>(key).Echo("still").WaitAsync(Bound));
    }

    private static void AddProbe(IServiceCollection services)
    {
        services.AddSingleton<CallProbeGate>();
        services.AddGrain<CallProbeGrain>();
    }

    private static string[] KeysOwnedBy(InProcessCluster cluster, string silo, int count) =>
        Enumerable.Range(0, 10_000)
            .Select(i => "probe-" + i.ToString(CultureInfo.InvariantCulture))
            .Where(key => cluster.View(0).OwnerOf(new GrainId(CallProbeGrain.TypeName, key))!.Name == silo)
            .Take(count)
            .ToArray();

    private static HttpRequestMessage StreamRequest(Uri endpoint, string secret, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, RemoteCallProtocol.Path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return request;
    }
}
