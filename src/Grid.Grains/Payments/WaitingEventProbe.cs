using System.Threading.Channels;
using Grid.Ledger.Persistence;
using Microsoft.Extensions.Logging;

namespace Grid.Grains.Payments;

/// <summary>
/// Looks, for many payments at once, for events that wait for their objects (see
/// <see cref="PaymentGrain"/>): every payment asks after its first event is recorded, almost always to hear
/// "none", so the silo sends the questions that arrive while one query runs as the next query. One query at a
/// time; a bounded queue (a full one makes askers wait).
/// </summary>
public sealed class WaitingEventProbe : IAsyncDisposable
{
    /// <summary>Questions answered by one query; two or three objects each, well inside a statement's parameter limits.</summary>
    public const int MaxBatch = 256;

    private const int QueueCapacity = 16_384;

    private readonly IProcessedEventStore _store;
    private readonly ILogger<WaitingEventProbe> _logger;
    private readonly Channel<Question> _questions = Channel.CreateBounded<Question>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Task _loop;

    public WaitingEventProbe(IProcessedEventStore store, ILogger<WaitingEventProbe> logger)
    {
        _store = store;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The events recorded without a payment whose object is one of <paramref name="objectRefs"/>, oldest first.</summary>
    public async Task<IReadOnlyList<ProcessedEvent>> FindAsync(string source, IReadOnlyCollection<string> objectRefs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objectRefs);
        if (objectRefs.Count == 0)
        {
            return [];
        }

        var question = new Question(source, objectRefs, new TaskCompletionSource<IReadOnlyList<ProcessedEvent>>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _questions.Writer.WriteAsync(question, cancellationToken);
        return await question.Answer.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _questions.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<Question>(MaxBatch);
        while (await _questions.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _questions.Reader.TryRead(out var question))
            {
                batch.Add(question);
            }

            foreach (var bySource in batch.GroupBy(q => q.Source, StringComparer.Ordinal))
            {
                await AnswerAsync(bySource.Key, bySource.ToList()).ConfigureAwait(false);
            }
        }
    }

    private async Task AnswerAsync(string source, List<Question> questions)
    {
        try
        {
            var refs = questions.SelectMany(q => q.ObjectRefs).Distinct(StringComparer.Ordinal).ToList();
            // Room for every asker's bound, so one payment's many waiting events cannot hide another's.
            var found = await _store.FindUnmatchedAsync(source, refs, questions.Count * PaymentFacts.MaxEvents, CancellationToken.None).ConfigureAwait(false);
            foreach (var question in questions)
            {
                var asked = question.ObjectRefs.ToHashSet(StringComparer.Ordinal);
                question.Answer.TrySetResult(found.Where(e => e.ObjectRef is { } objectRef && asked.Contains(objectRef)).ToList());
            }
        }
        catch (Exception failure)
        {
            _logger.LogWarning("Look-up of waiting events failed for {Count} payments: {Reason}", questions.Count, failure.Message);
            foreach (var question in questions)
            {
                question.Answer.TrySetException(failure);
            }
        }
    }

    private sealed record Question(string Source, IReadOnlyCollection<string> ObjectRefs, TaskCompletionSource<IReadOnlyList<ProcessedEvent>> Answer);
}
