using Grid.Ledger.Journal;

namespace Grid.Grains.Accounts;

/// <summary>
/// Batches journal look-ups of operation ids for one activation: ids asked for while a look-up is in
/// flight go into the next one, so a busy account whose window no longer covers its whole history pays
/// one query per round, not one per command. Runs on the activation's single logical thread.
/// </summary>
internal sealed class OperationLookup(Func<IReadOnlyCollection<string>, Task<IReadOnlyList<JournalEntry>>> find)
{
    private HashSet<string>? _queued;
    private TaskCompletionSource<IReadOnlyList<JournalEntry>>? _queuedDone;
    private bool _running;

    /// <summary>The journal entries, among everything looked up in the same round, that carry these ids.</summary>
    public Task<IReadOnlyList<JournalEntry>> FindAsync(IReadOnlyList<string> operationIds)
    {
        _queued ??= new HashSet<string>(StringComparer.Ordinal);
        _queued.UnionWith(operationIds);
        var done = _queuedDone ??= new TaskCompletionSource<IReadOnlyList<JournalEntry>>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_running)
        {
            _running = true;
            _ = RunAsync();
        }

        return done.Task;
    }

    private async Task RunAsync()
    {
        while (_queued is { } ids)
        {
            var done = _queuedDone!;
            _queued = null;
            _queuedDone = null;
            try
            {
                done.TrySetResult(await find(ids));
            }
            catch (Exception failure)
            {
                done.TrySetException(failure);
            }
        }

        _running = false;
    }
}
