using Microsoft.Extensions.Options;

namespace Grid.Gateway.Streams;

/// <summary>
/// Counts the streams open on this silo, per account and in all, against <see cref="StreamOptions.MaxPerAccount"/>
/// and <see cref="StreamOptions.MaxStreams"/>: a stream is opened once and then costs a connection, a broadcast
/// membership and polls for as long as it lives, so a credential could otherwise hold open as many as it likes.
/// </summary>
public sealed class StreamSlots(IOptions<StreamOptions> options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _perAccount = new(StringComparer.Ordinal);
    private int _total;

    /// <summary>
    /// A slot for one more stream of <paramref name="accountId"/>, released when disposed; null when a limit is reached,
    /// with <paramref name="siloFull"/> saying which (the silo's, or else the account's).
    /// </summary>
    public IDisposable? TryTake(string accountId, out bool siloFull)
    {
        var settings = options.Value;
        lock (_lock)
        {
            siloFull = _total >= settings.MaxStreams;
            var open = _perAccount.GetValueOrDefault(accountId);
            if (siloFull || open >= settings.MaxPerAccount)
            {
                return null;
            }

            _perAccount[accountId] = open + 1;
            _total++;
            return new Slot(this, accountId);
        }
    }

    private void Release(string accountId)
    {
        lock (_lock)
        {
            var open = _perAccount[accountId] - 1;
            if (open == 0)
            {
                _perAccount.Remove(accountId); // no entry outlives the account's last stream
            }
            else
            {
                _perAccount[accountId] = open;
            }

            _total--;
        }
    }

    private sealed class Slot(StreamSlots owner, string accountId) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(accountId);
            }
        }
    }
}
