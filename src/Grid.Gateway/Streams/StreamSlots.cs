using Microsoft.Extensions.Options;

namespace Grid.Gateway.Streams;

/// <summary>
/// Counts the streams open on this silo against the bounds of <see cref="StreamOptions"/>: per account, in all, and
/// for streams opened with end users' guest or wallet tokens, in all and per client address. A stream is opened once
/// and then costs a connection, a broadcast membership and polls for as long as it lives, so a credential could
/// otherwise hold open as many as it likes; and a wallet's token costs nothing to get (each with an account of its
/// own), so end users' streams have bounds of their own, leaving the rest of the silo to account keys and the operator.
/// </summary>
public sealed class StreamSlots(IOptions<StreamOptions> options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _perAccount = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _perEndUserAddress = new(StringComparer.Ordinal);
    private int _total;
    private int _endUsers;

    /// <summary>
    /// A slot for one more stream of <paramref name="accountId"/>, released when disposed; null when a bound is reached,
    /// with <paramref name="reached"/> saying which. <paramref name="endUserAddress"/> is the client's address (as the
    /// rate limits partition it) when the caller is an end user, else null.
    /// </summary>
    public IDisposable? TryTake(string accountId, string? endUserAddress, out StreamBound reached)
    {
        var settings = options.Value;
        lock (_lock)
        {
            var open = _perAccount.GetValueOrDefault(accountId);
            var fromAddress = endUserAddress is null ? 0 : _perEndUserAddress.GetValueOrDefault(endUserAddress);
            reached = _total >= settings.MaxStreams ? StreamBound.Silo
                : endUserAddress is not null && _endUsers >= settings.EndUserStreamLimit ? StreamBound.EndUsers
                : open >= settings.MaxPerAccount ? StreamBound.Account
                : endUserAddress is not null && fromAddress >= settings.MaxPerEndUserAddress ? StreamBound.Address
                : StreamBound.None;
            if (reached != StreamBound.None)
            {
                return null;
            }

            _perAccount[accountId] = open + 1;
            _total++;
            if (endUserAddress is not null)
            {
                _perEndUserAddress[endUserAddress] = fromAddress + 1;
                _endUsers++;
            }

            return new Slot(this, accountId, endUserAddress);
        }
    }

    private void Release(string accountId, string? endUserAddress)
    {
        lock (_lock)
        {
            Decrement(_perAccount, accountId);
            _total--;
            if (endUserAddress is not null)
            {
                Decrement(_perEndUserAddress, endUserAddress);
                _endUsers--;
            }
        }
    }

    // No entry outlives the last stream it counts.
    private static void Decrement(Dictionary<string, int> counts, string key)
    {
        var open = counts[key] - 1;
        if (open == 0)
        {
            counts.Remove(key);
        }
        else
        {
            counts[key] = open;
        }
    }

    private sealed class Slot(StreamSlots owner, string accountId, string? endUserAddress) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(accountId, endUserAddress);
            }
        }
    }
}
