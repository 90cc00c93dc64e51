using System.IO.Pipelines;
using System.Threading.Channels;

namespace Grid.Runtime.Transport;

/// <summary>
/// The receiving end of one call stream: reads call frames, runs each off the reader (at most <see cref="MaxInFlight"/>
/// at once; past that it stops reading and the transport's flow control holds the caller back), and writes each answer
/// as soon as it is ready, many per flush. Once the silo has left the cluster, every frame read is answered
/// <see cref="CallFrameKind.Unavailable"/> (it did not run) while the calls already running finish; then the stream
/// ends, and frames the caller sent after that were never read, so the caller knows they did not run either.
/// </summary>
internal sealed class RemoteCallStreamSession(RemoteCallHandler handler)
{
    public const int MaxInFlight = 4096;

    private readonly Channel<CallFrame> _answers = Channel.CreateBounded<CallFrame>(
        new BoundedChannelOptions(MaxInFlight) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly SemaphoreSlim _slots = new(MaxInFlight, MaxInFlight);
    private readonly Lock _drainLock = new();
    private Task? _drained;
    private CancellationTokenSource? _stopReading;

    public async Task RunAsync(PipeReader calls, PipeWriter answers, CancellationToken departed, CancellationToken aborted)
    {
        // Ends the reading when the writer fails, the caller goes away, or the silo has left and its calls are done.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        _stopReading = reading;
        var writing = WriteAnswersAsync(answers, reading, aborted);
        using var departure = departed.Register(static state => ((RemoteCallStreamSession)state!).StopReadingWhenDrained(), this);
        var finished = false;
        try
        {
            finished = await ReadCallsAsync(calls, departed, reading.Token);
        }
        finally
        {
            try
            {
                if (finished || departed.IsCancellationRequested)
                {
                    await DrainAsync().WaitAsync(aborted); // every running call's answer queued, then written below
                }
            }
            finally
            {
                _answers.Writer.TryComplete();
                await writing;
            }
        }
    }

    /// <summary>Reads and starts calls; true when the caller ended its side, false when the reading was stopped.</summary>
    private async Task<bool> ReadCallsAsync(PipeReader calls, CancellationToken departed, CancellationToken reading)
    {
        try
        {
            while (true)
            {
                var read = await calls.ReadAsync(reading);
                var buffer = read.Buffer;
                while (CallFrames.TryRead(ref buffer, out var frame))
                {
                    await StartAsync(frame, departed, reading);
                }

                calls.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    return buffer.IsEmpty ? true : throw new InvalidDataException("A call stream ended in the middle of a frame.");
                }
            }
        }
        catch (OperationCanceledException) when (reading.IsCancellationRequested)
        {
            return false;
        }
    }

    private async ValueTask StartAsync(CallFrame frame, CancellationToken departed, CancellationToken reading)
    {
        if (frame.Kind != CallFrameKind.Call)
        {
            throw new InvalidDataException($"A caller sent a {frame.Kind} frame; callers send calls only.");
        }

        if (!departed.IsCancellationRequested)
        {
            await _slots.WaitAsync(reading);
            if (!departed.IsCancellationRequested)
            {
                // Off the reader: a grain runs an idle call inline on the thread that sends it, and a long one
                // must not hold up the frames behind it.
                ThreadPool.UnsafeQueueUserWorkItem(
                    static call => _ = call.Session.RunCallAsync(call.Frame, call.Reading),
                    new QueuedCall(this, frame, reading),
                    preferLocal: false);
                return;
            }

            _slots.Release();
        }

        await QueueAsync(new CallFrame(frame.Id, CallFrameKind.Unavailable, []), reading);
    }

    private async Task RunCallAsync(CallFrame frame, CancellationToken reading)
    {
        try
        {
            RemoteCallAnswer answer;
            try
            {
                answer = await handler.HandleAsync(frame.Payload, reading);
            }
            catch (OperationCanceledException) when (reading.IsCancellationRequested)
            {
                return; // the stream is going; nobody is left to answer
            }
            catch (Exception unexpected)
            {
                answer = handler.Unexpected(unexpected); // never leave a caller waiting out its timeout
            }

            await QueueAsync(new CallFrame(frame.Id, answer.Kind, answer.Body), CancellationToken.None);
        }
        finally
        {
            _slots.Release(); // after the answer is queued: a writer that falls behind holds the reader back
        }
    }

    private async ValueTask QueueAsync(CallFrame answer, CancellationToken cancellationToken)
    {
        try
        {
            await _answers.Writer.WriteAsync(answer, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            // The writer failed and the stream is going; the answer has nowhere to go.
        }
    }

    /// <summary>After the silo has left: once every running call has its answer queued, stop reading and end the stream.</summary>
    private void StopReadingWhenDrained() =>
        _ = DrainAsync().ContinueWith(
            static (_, state) => ((RemoteCallStreamSession)state!)._stopReading?.Cancel(),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    /// <summary>Takes every slot (so every call started has queued its answer); once per session, whoever asks first.</summary>
    private Task DrainAsync()
    {
        lock (_drainLock)
        {
            return _drained ??= TakeAllSlotsAsync();
        }
    }

    private async Task TakeAllSlotsAsync()
    {
        for (var i = 0; i < MaxInFlight; i++)
        {
            await _slots.WaitAsync();
        }
    }

    private async Task WriteAnswersAsync(PipeWriter answers, CancellationTokenSource reading, CancellationToken aborted)
    {
        try
        {
            await CallFrames.PumpAsync(_answers.Reader, answers, skip: null, aborted);
        }
        finally
        {
            _answers.Writer.TryComplete();
            await reading.CancelAsync(); // no answer can go out any more: read no further
        }
    }

    private sealed record QueuedCall(RemoteCallStreamSession Session, CallFrame Frame, CancellationToken Reading);
}
