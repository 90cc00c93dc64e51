using System.Threading.Channels;
using Grid.Ledger.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grid.Grains.Ledger;

/// <summary>
/// The silo-wide writer: appends from many accounts that arrive while a transaction is in flight are
/// merged into the next one, so one commit (one fsync) confirms many accounts. Each account has at most
/// one append in flight (its grain waits), so merged appends never reorder an account's entries.
/// If a merged transaction fails, each append is retried alone, so one stale account cannot fail the others.
/// </summary>
public sealed class JournalWriter : IAsyncDisposable
{
    /// <summary>Appends of a failed merged batch retried at once, each alone.</summary>
    private const int MaxConcurrentRetries = 16;

    private readonly ILedgerStore _store;
    private readonly LedgerOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<PendingAppend> _queue;
    private readonly Task[] _writers;
    private readonly CancellationTokenSource _stopping = new();

    public JournalWriter(ILedgerStore store, IOptions<LedgerOptions> options, ILogger<JournalWriter> logger)
    {
        _store = store;
        _options = options.Value;
        _options.Validate();
        _logger = logger;
        var writers = _options.Writers ?? store.PreferredConcurrentAppends;
        _queue = Channel.CreateBounded<PendingAppend>(new BoundedChannelOptions(_options.AppendQueueCapacity)
        {
            SingleWriter = false,
            SingleReader = writers == 1,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writers = _options.MergeAppends
            ? Enumerable.Range(0, writers).Select(_ => Task.Run(WriteLoopAsync)).ToArray()
            : [];
    }

    /// <summary>Completes once the append is committed; throws what the store threw otherwise.</summary>
    public async Task AppendAsync(AccountAppend append, CancellationToken cancellationToken)
    {
        if (!_options.MergeAppends)
        {
            await _store.AppendAsync([append], cancellationToken);
            return;
        }

        var pending = new PendingAppend(append);
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        await pending.Committed.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingAppend>(_options.MaxAppendBatch);
        var appends = new List<AccountAppend>(_options.MaxAppendBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            appends.Clear();
            while (batch.Count < _options.MaxAppendBatch && reader.TryRead(out var next))
            {
                batch.Add(next);
                appends.Add(next.Append);
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch, appends);
            }
        }
    }

    private async Task CommitAsync(List<PendingAppend> batch, List<AccountAppend> appends)
    {
        try
        {
            await _store.AppendAsync(appends, _stopping.Token);
            foreach (var pending in batch)
            {
                pending.Committed.TrySetResult();
            }

            return;
        }
        catch (Exception failure) when (batch.Count == 1)
        {
            batch[0].Committed.TrySetException(failure);
            return;
        }
        catch (Exception failure)
        {
            _logger.LogWarning("Merged append of {Count} accounts failed ({Reason}); retrying each alone", batch.Count, failure.Message);
        }

        // At most MaxConcurrentRetries at a time: a batch of hundreds retried all at once would take every pooled
        // connection (Npgsql's default pool is 100), and the silo's heartbeats share that pool. The body never throws,
        // so every append gets its answer.
        var retries = new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentRetries };
        await Parallel.ForEachAsync(batch, retries, async (pending, _) =>
        {
            try
            {
                await _store.AppendAsync([pending.Append], _stopping.Token);
                pending.Committed.TrySetResult();
            }
            catch (Exception failure)
            {
                pending.Committed.TrySetException(failure);
            }
        });
    }

    /// <summary>Lets queued appends finish (they are acknowledged only after commit), then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers).WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        await _stopping.CancelAsync();
        _stopping.Dispose();
    }

    private sealed class PendingAppend(AccountAppend append)
    {
        public AccountAppend Append { get; } = append;

        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
