using Grid.Storage;

namespace Grid.Gateway.Streams;

/// <summary>
/// This silo's listener on PostgreSQL's journal announcements, opened on first use when the store announces
/// appends (clustered silos): a stream on this silo then hears of entries written on any silo.
/// </summary>
public sealed class JournalAnnouncements(GridDatabase database, StorageOptions storage) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private JournalListener? _listener;

    /// <summary>A subscription to the account's announcements, or null when this store does not announce.</summary>
    public JournalSubscription? Subscribe(string accountId)
    {
        if (!database.AnnouncesJournal || storage.ConnectionString is not { } connection)
        {
            return null;
        }

        lock (_lock)
        {
            _listener ??= new JournalListener(connection);
            return _listener.Subscribe(accountId);
        }
    }

    public async ValueTask DisposeAsync()
    {
        JournalListener? listener;
        lock (_lock)
        {
            listener = _listener;
            _listener = null;
        }

        if (listener is not null)
        {
            await listener.DisposeAsync();
        }
    }
}
