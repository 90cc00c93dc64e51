using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using System.Threading.Channels;

namespace Grid.Runtime.Transport;

/// <summary>
/// The calling end of one call stream to one silo: a single long-lived HTTP/2 request whose body carries call frames
/// and whose response carries the answers, in whatever order they finish. Calls queue for one writer that sends all
/// that are waiting per flush, so many calls share each write; one reader hands each answer to its call. When the
/// stream breaks, every call still waiting fails with <see cref="SiloUnavailableException"/> (whether it ran is not
/// known, as with any lost connection) and the stream is done; the next call opens a new one.
/// </summary>
internal sealed class RemoteCallStream : IDisposable
{
    /// <summary>Calls waiting for the writer; past this, callers wait (the silo's flow control is pushing back).</summary>
    public const int MaxQueuedCalls = 8192;


    private readonly string _endpoint;
    // Not single-reader: besides the writer, a stream that stops sending drains what is still queued.
    private readonly Channel<CallFrame> _calls = Channel.CreateBounded<CallFrame>(
        new BoundedChannelOptions(MaxQueuedCalls) { SingleReader = false, FullMode = BoundedChannelFullMode.Wait });
    private readonly ConcurrentDictionary<long, TaskCompletionSource<CallFrame>> _waiting = new();
    private readonly CancellationTokenSource _closed = new();
    private readonly Action<RemoteCallStream> _onBroken;
    private readonly Func<CallFrame, bool> _abandoned;
    private long _lastId;
    private volatile string? _closedForCalls;
    private int _broken;

    private RemoteCallStream(string endpoint, Action<RemoteCallStream> onBroken)
    {
        _endpoint = endpoint;
        _onBroken = onBroken;
        _abandoned = call => !_waiting.ContainsKey(call.Id);
    }

    public string Endpoint => _endpoint;

    /// <summary>True once it takes no more calls; the sender opens a new stream for the next one.</summary>
    public bool IsBroken => _closedForCalls is not null;

    /// <summary>Opens the stream in the background; calls may be queued at once.</summary>
    public static RemoteCallStream Open(HttpClient http, Uri uri, AuthenticationHeaderValue authorization, string endpoint, Action<RemoteCallStream> onBroken)
    {
        var stream = new RemoteCallStream(endpoint, onBroken);
        _ = stream.RunAsync(http, uri, authorization);
        return stream;
    }

    /// <summary>Sends one call and waits for its answer frame.</summary>
    public async Task<CallFrame> CallAsync(byte[] body, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _lastId);
        var answer = new TaskCompletionSource<CallFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[id] = answer;
        if (_closedForCalls is { } reason)
        {
            _waiting.TryRemove(id, out _);
            throw Unavailable(reason);
        }

        try
        {
            await _calls.Writer.WriteAsync(new CallFrame(id, CallFrameKind.Call, body), cancellationToken);
            return await answer.Task.WaitAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            if (answer.Task.IsCompleted)
            {
                return await answer.Task; // answered, or failed with the stream's own reason
            }

            throw Unavailable(_closedForCalls ?? "closed the call stream");
        }
        finally
        {
            _waiting.TryRemove(id, out _);
        }
    }

    public void Dispose() => Break("was left: the caller is shutting down");

    private async Task RunAsync(HttpClient http, Uri uri, AuthenticationHeaderValue authorization)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, uri)
            {
                Content = new CallFrameContent(this),
                Version = HttpVersion.Version20, // prior knowledge: the cluster port speaks HTTP/2 only
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            request.Headers.Authorization = authorization;
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _closed.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                // Not a passing outage: a silo that refuses the stream will refuse the next one too.
                Break($"answered {(int)response.StatusCode} to a call stream{(response.StatusCode == HttpStatusCode.Unauthorized ? ": the cluster secret differs" : string.Empty)}", refused: true);
                return;
            }

            await using var answers = await response.Content.ReadAsStreamAsync(_closed.Token);
            await ReadAnswersAsync(PipeReader.Create(answers), _closed.Token);
            Break("ended the call stream (stopping)");
        }
        catch (Exception failed)
        {
            Break($"cannot be reached: {failed.Message}");
        }
    }

    private async Task ReadAnswersAsync(PipeReader answers, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await answers.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            while (CallFrames.TryRead(ref buffer, out var frame))
            {
                if (frame.Kind == CallFrameKind.Call)
                {
                    throw new InvalidDataException("A silo sent a call on a call stream's answers.");
                }

                // An id no call waits for belongs to a call whose caller gave up; its answer goes nowhere.
                if (_waiting.TryRemove(frame.Id, out var waiting))
                {
                    waiting.TrySetResult(frame);
                }
            }

            answers.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted)
            {
                await answers.CompleteAsync();
                return;
            }
        }
    }

    private async Task WriteCallsAsync(Stream body)
    {
        var writer = PipeWriter.Create(body, new StreamPipeWriterOptions(leaveOpen: true));
        try
        {
            // A call whose caller gave up while it queued is not sent: nobody waits for its work.
            if (!await CallFrames.PumpAsync(_calls.Reader, writer, _abandoned, _closed.Token))
            {
                StopSending("stopped reading calls");
            }
        }
        catch (Exception failed)
        {
            // Answers already on their way may still arrive: the reader fails what is left when the answers end.
            StopSending($"cannot be reached: {failed.Message}");
        }
    }

    /// <summary>
    /// Takes no more calls. Calls still queued were never sent, so they fail now; calls sent wait for their answers,
    /// which the reader hands out until the silo ends the stream (and then fails the rest).
    /// </summary>
    private void StopSending(string reason, bool refused = false)
    {
        if (Interlocked.CompareExchange(ref _closedForCalls, reason, null) is not null)
        {
            return;
        }

        _onBroken(this);
        _calls.Writer.TryComplete();
        while (_calls.Reader.TryRead(out var unsent))
        {
            Fail(unsent.Id, Failure(reason, refused));
        }
    }

    /// <summary>The stream is done: no more calls, and every call still waiting fails.</summary>
    private void Break(string reason, bool refused = false)
    {
        StopSending(reason, refused);
        if (Interlocked.Exchange(ref _broken, 1) != 0)
        {
            return;
        }

        _closed.Cancel();
        foreach (var id in _waiting.Keys)
        {
            Fail(id, Failure(reason, refused));
        }
    }

    private void Fail(long id, Exception error)
    {
        if (_waiting.TryRemove(id, out var waiting))
        {
            waiting.TrySetException(error);
            _ = waiting.Task.Exception; // observed here: a caller that gave up meanwhile never awaits it
        }
    }

    private SiloUnavailableException Unavailable(string reason) => new($"Silo at {_endpoint} {reason}.");

    /// <summary>A refused stream is a setup error (retrying cannot help); anything else may pass.</summary>
    private Exception Failure(string reason, bool refused) =>
        refused ? new InvalidOperationException($"Silo at {_endpoint} {reason}.") : Unavailable(reason);

    /// <summary>The request body: stays open, written by the stream's writer, until the stream is done.</summary>
    private sealed class CallFrameContent(RemoteCallStream stream) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream target, TransportContext? context) => stream.WriteCallsAsync(target);

        protected override Task SerializeToStreamAsync(Stream target, TransportContext? context, CancellationToken cancellationToken) =>
            stream.WriteCallsAsync(target);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
