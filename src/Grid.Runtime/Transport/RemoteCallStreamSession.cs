using System.IO.Pipelines;
using System.Threading.Channels;

namespace Grid.Runtime.Transport;

/// <summary>
/// The receiving end of one call stream: reads call frames, runs each (at most <see cref="MaxInFlight"/> at once; past
/// that it stops reading and the transport's flow control holds the caller back), and writes each answer as soon as it
/// is ready, many per flush. Once the silo has left the cluster it reads no further, answers the frames it already holds
/// <see cref="CallFrameKind.Unavailable"/> (they did not run), lets the calls it is running finish, and ends the stream;
/// frames the caller sent after that were never read, so the caller knows they did not run either.
/// </summary>
internal sealed class RemoteCallStreamSession(RemoteCallHandler handler)
{
    public const int MaxInFlight = 4096;

    private readonly Channel<CallFrame> _answers = Channel.CreateBounded<CallFrame>(
        new BoundedChannelOptions(MaxInFlight + 1) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly SemaphoreSlim _slots = new(MaxInFlight, MaxInFlight);

    public async Task RunAsync(PipeReader calls, PipeWriter answers, CancellationToken stopping, CancellationToken aborted)
    {
        var writing = WriteAnswersAsync(answers, aborted);
        try
        {
            await ReadCallsAsync(calls, stopping, aborted);
        }
        finally
        {
            try
            {
                // Every slot back means every call read has its answer queued.
                for (var i = 0; i < MaxInFlight; i++)
                {
                    await _slots.WaitAsync(aborted);
                }
            }
            finally
            {
                _answers.Writer.TryComplete();
                await writing;
            }
        }
    }

    private async Task ReadCallsAsync(PipeReader calls, CancellationToken stopping, CancellationToken aborted)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stopping, aborted);
        while (!stopping.IsCancellationRequested)
        {
            ReadResult read;
            try
            {
                read = await calls.ReadAsync(either.Token);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested && !aborted.IsCancellationRequested)
            {
                return;
            }

            var buffer = read.Buffer;
            while (CallFrames.TryRead(ref buffer, out var frame))
            {
                if (frame.Kind != CallFrameKind.Call)
                {
                    throw new InvalidDataException($"A caller sent a {frame.Kind} frame; callers send calls only.");
                }

                await _slots.WaitAsync(aborted);
                if (stopping.IsCancellationRequested)
                {
                    await AnswerAsync(new CallFrame(frame.Id, CallFrameKind.Unavailable, []));
                    continue;
                }

                _ = RunCallAsync(frame, aborted);
            }

            calls.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted)
            {
                return;
            }
        }
    }

    private async Task RunCallAsync(CallFrame frame, CancellationToken aborted)
    {
        try
        {
            var answer = await handler.HandleAsync(frame.Payload, aborted);
            await AnswerAsync(new CallFrame(frame.Id, answer.Kind, answer.Body));
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            _slots.Release(); // the caller went away; nobody is left to answer
        }
    }

    /// <summary>Queues an answer, then gives its slot back: a writer that falls behind holds the reader back, so what waits stays bounded.</summary>
    private async ValueTask AnswerAsync(CallFrame answer)
    {
        try
        {
            await _answers.Writer.WriteAsync(answer);
        }
        catch (ChannelClosedException)
        {
            // The writer failed and the stream is going; the answer has nowhere to go.
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task WriteAnswersAsync(PipeWriter answers, CancellationToken aborted)
    {
        var queued = _answers.Reader;
        try
        {
            while (await queued.WaitToReadAsync(aborted))
            {
                while (queued.TryRead(out var answer))
                {
                    CallFrames.Write(answers, answer.Id, answer.Kind, answer.Payload);
                }

                var flushed = await answers.FlushAsync(aborted);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    break;
                }
            }
        }
        finally
        {
            _answers.Writer.TryComplete();
        }
    }
}
