using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Grid.Runtime;
using Grid.Runtime.Core;
using Grid.Runtime.Hosting;
using Grid.Runtime.Transport;
using Grid.TestKit;
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
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(20), $"a graceful stop took {stopping.Elapsed} (the host's shutdown timeout is 30 s)");
        await Eventually.TrueAsync(() => cluster.View(0).Silos.Select(s => s.Name).SequenceEqual(["silo-0"]), "silo 0 seeing silo 1 gone");
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
    public async Task A_call_too_large_to_cross_is_refused_before_it_is_sent_and_the_next_one_goes_through()
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
    public async Task A_stream_without_the_secret_is_refused()
    {
        await using var cluster = await InProcessCluster.StartAsync(2, configure: AddProbe);
        using var http = new HttpClient(new SocketsHttpHandler()) { Timeout = Bound };

        using var refused = await http.SendAsync(StreamRequest(ClusterEndpoint(cluster, "silo-1"), "not-the-cluster-secret", []));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.NotEqual("application/octet-stream", refused.Content.Headers.ContentType?.MediaType); // no stream was opened
    }

    [Fact]
    public async Task A_call_the_silo_cannot_read_is_answered_as_such_and_the_next_frame_still_runs()
    {
        await using var cluster = await InProcessCluster.StartAsync(2, configure: AddProbe);
        var key = KeysOwnedBy(cluster, "silo-1", 1)[0];
        using var http = new HttpClient(new SocketsHttpHandler()) { Timeout = Bound };
        var frames = new ArrayBufferWriter<byte>();
        // A timeout that is a string, not a number: reading it throws something other than a JSON error.
        CallFrames.Write(frames, 7, CallFrameKind.Call, Encoding.UTF8.GetBytes(ProbeCall(key, "\"5000\"", "[\"x\"]")));
        CallFrames.Write(frames, 8, CallFrameKind.Call, Encoding.UTF8.GetBytes(ProbeCall(key, "5000", "[]"))); // too few arguments
        CallFrames.Write(frames, 9, CallFrameKind.Call, Encoding.UTF8.GetBytes(ProbeCall(key, "5000", "[\"x\"]")));

        using var response = await http.SendAsync(StreamRequest(ClusterEndpoint(cluster, "silo-1"), TestCluster.Secret, frames.WrittenSpan.ToArray()));
        var answers = ReadFrames(await response.Content.ReadAsByteArrayAsync()).ToDictionary(frame => frame.Id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, answers.Count);
        Assert.Equal(CallFrameKind.BadCall, answers[7].Kind);
        Assert.Equal(CallFrameKind.BadCall, answers[8].Kind);
        Assert.Equal(CallFrameKind.Result, answers[9].Kind);
        Assert.Equal($"\"{key}:x\"", Encoding.UTF8.GetString(answers[9].Payload));
    }

    [Fact]
    public async Task A_broken_frame_drops_its_own_stream_and_the_silo_serves_on()
    {
        await using var cluster = await InProcessCluster.StartAsync(2, configure: AddProbe);
        var key = KeysOwnedBy(cluster, "silo-1", 1)[0];
        Assert.Equal($"{key}:before", await cluster.Grains(0).GetGrain<ICallProbeGrain>(key).Echo("before").WaitAsync(Bound));
        using var http = new HttpClient(new SocketsHttpHandler()) { Timeout = Bound };
        var broken = new byte[CallFrames.HeaderBytes];
        BinaryPrimitives.WriteInt32LittleEndian(broken, int.MaxValue); // longer than any frame the protocol allows

        var dropped = await Record.ExceptionAsync(async () =>
        {
            using var answer = await http.SendAsync(StreamRequest(ClusterEndpoint(cluster, "silo-1"), TestCluster.Secret, broken), HttpCompletionOption.ResponseHeadersRead);
            await answer.Content.ReadAsByteArrayAsync();
        });

        Assert.True(dropped is HttpRequestException or IOException, $"the stream should have been reset, got {dropped?.GetType().Name ?? "a clean end"}");
        Assert.Equal($"{key}:still", await cluster.Grains(0).GetGrain<ICallProbeGrain>(key).Echo("still").WaitAsync(Bound));
    }

    [Fact]
    public async Task A_reference_that_allows_longer_than_the_default_gets_its_answer_from_the_other_silo()
    {
        await using var cluster = await InProcessCluster.StartAsync(2, configure: services =>
        {
            AddProbe(services);
            services.Configure<GrainRuntimeOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(1));
        });
        var key = KeysOwnedBy(cluster, "silo-1", 1)[0];
        var gate = cluster.Service<CallProbeGate>(1);
        var patient = cluster.Grains(0).GetGrain<ICallProbeGrain>(key, new GrainCallOptions(TimeSpan.FromSeconds(20))).WaitForGate();
        await gate.Entered.Task.WaitAsync(Bound);

        await Task.Delay(TimeSpan.FromSeconds(2.5)); // well past the runtime's default
        Assert.False(patient.IsCompleted, $"the call ended before its own timeout: {patient.Exception?.InnerException?.Message}");
        gate.Opened.TrySetResult();
        Assert.Equal("through", await patient.WaitAsync(Bound));
    }

    [Fact]
    public async Task A_call_whose_reference_allows_less_than_the_default_is_dropped_at_the_owner_once_its_caller_gave_up()
    {
        await using var cluster = await InProcessCluster.StartAsync(2, configure: AddProbe); // the default 30 s
        var key = KeysOwnedBy(cluster, "silo-1", 1)[0];
        var gate = cluster.Service<CallProbeGate>(1);
        var busy = cluster.Grains(0).GetGrain<ICallProbeGrain>(key).WaitForGate();
        await gate.Entered.Task.WaitAsync(Bound);

        // Queued behind the busy call: its caller is told it timed out, so it must never run.
        var hasty = cluster.Grains(0).GetGrain<ICallProbeGrain>(key, new GrainCallOptions(TimeSpan.FromSeconds(0.5))).Echo("late");
        await Assert.ThrowsAsync<GrainCallTimeoutException>(() => hasty.WaitAsync(Bound));
        await Task.Delay(TimeSpan.FromSeconds(1));
        gate.Opened.TrySetResult();
        Assert.Equal("through", await busy.WaitAsync(Bound));

        Assert.Equal($"{key}:next", await cluster.Grains(0).GetGrain<ICallProbeGrain>(key).Echo("next").WaitAsync(Bound));
        Assert.Equal(1, gate.Echoes); // "next" alone
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

    private static Uri ClusterEndpoint(InProcessCluster cluster, string silo) =>
        new(cluster.View(0).Silos.Single(s => s.Name == silo).Endpoint);

    private static string ProbeCall(string key, string timeout, string arguments) =>
        $$"""{"type":"{{CallProbeGrain.TypeName}}","key":"{{key}}","interface":"{{typeof(ICallProbeGrain).FullName}}","method":"Echo_0","timeoutMs":{{timeout}},"arguments":{{arguments}}}""";

    private static List<CallFrame> ReadFrames(byte[] body)
    {
        var buffer = new ReadOnlySequence<byte>(body);
        var frames = new List<CallFrame>();
        while (CallFrames.TryRead(ref buffer, out var frame))
        {
            frames.Add(frame);
        }

        Assert.True(buffer.IsEmpty, "the answers end on a frame boundary");
        return frames;
    }

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
