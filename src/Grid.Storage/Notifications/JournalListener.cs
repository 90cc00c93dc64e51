using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Grid.Storage;

/// <summary>
/// Listens on <see cref="JournalChannel"/> over one dedicated PostgreSQL connection and wakes the
/// subscriptions of the accounts announced. A lost connection is reopened with backoff; every subscription
/// is then told to resync, since announcements made while it was down are gone (the journal is not).
/// </summary>
public sealed partial class JournalListener : IAsyncDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly string _connectionString;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<JournalSubscription>> _subscriptions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;

    public JournalListener(string connectionString, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        _connectionString = connectionString;
        _logger = logger ?? NullLogger.Instance;
        _loop = Task.Run(() => ListenLoopAsync(_stopping.Token));
    }

    /// <summary>
    /// Completes once the first LISTEN is in place and the start-up resync has gone to the subscriptions made by then:
    /// a subscription made after it sees every announcement from then on, and no stray resync.
    /// </summary>
    public Task Listening => _listening.Task;

    public JournalSubscription Subscribe(string accountId)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        var subscription = new JournalSubscription(accountId, Unsubscribe);
        lock (_lock)
        {
            if (!_subscriptions.TryGetValue(accountId, out var list))
            {
                _subscriptions[accountId] = list = [];
            }

            list.Add(subscription);
        }

        return subscription;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop.ContinueWith(static _ => { }, TaskScheduler.Default);
        _stopping.Dispose();
    }

    private void Unsubscribe(JournalSubscription subscription)
    {
        lock (_lock)
        {
            if (_subscriptions.TryGetValue(subscription.AccountId, out var list) && list.Remove(subscription) && list.Count == 0)
            {
                _subscriptions.Remove(subscription.AccountId);
            }
        }
    }

    private async Task ListenLoopAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(cancellationToken);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"LISTEN {JournalChannel.Name}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                ResyncAll(); // whatever was announced before this connection listened
                _listening.TrySetResult(); // after the resync: a subscription made once this completes hears every announcement, and no stray resync
                backoff = TimeSpan.FromMilliseconds(100);
                while (true)
                {
                    await connection.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception lost)
            {
                LogLost(_logger, lost.Message, backoff.TotalMilliseconds);
                ResyncAll();
                await Task.Delay(backoff, cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs notification)
    {
        if (!JournalChannel.TryParse(notification.Payload, out var accountId, out var sequence))
        {
            return;
        }

        lock (_lock)
        {
            if (_subscriptions.TryGetValue(accountId, out var list))
            {
                foreach (var subscription in list)
                {
                    subscription.Announce(sequence);
                }
            }
        }
    }

    private void ResyncAll()
    {
        lock (_lock)
        {
            foreach (var subscription in _subscriptions.Values.SelectMany(l => l))
            {
                subscription.Resync();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Journal announcements lost their connection ({Reason}); reconnecting in {DelayMs} ms")]
    private static partial void LogLost(ILogger logger, string reason, double delayMs);
}
