using Grid.Runtime;
using Grid.Runtime.Placement;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Streams;

/// <summary>The silo's <see cref="AccountBroadcast"/>s, one per account with streams open here, gone with the last stream.</summary>
public sealed class StreamBroadcasts(IGrainEvents events, IOptions<StreamOptions> options, ILogger<StreamBroadcasts> logger, IGrainPlacement? placement = null)
{
    /// <summary>Whether the account's grain lives on this silo (always, outside a cluster), so its appends are published here.</summary>
    public bool IsLocal(GrainId account) => placement?.IsLocal(account) ?? true;

    private readonly Lock _lock = new();
    private readonly Dictionary<GrainId, AccountBroadcast> _broadcasts = [];

    internal IDisposable Join(GrainId account, StreamMember member)
    {
        lock (_lock)
        {
            if (!_broadcasts.TryGetValue(account, out var broadcast))
            {
                broadcast = new AccountBroadcast(account, events, options.Value.WakeBuffer, logger);
                _broadcasts[account] = broadcast;
            }

            broadcast.Add(member);
            return new Membership(this, account, broadcast, member);
        }
    }

    private void Leave(GrainId account, AccountBroadcast broadcast, StreamMember member)
    {
        lock (_lock)
        {
            broadcast.Remove(member);
            if (broadcast.Count == 0 && _broadcasts.Remove(account))
            {
                broadcast.Dispose();
            }
        }
    }

    private sealed class Membership(StreamBroadcasts owner, GrainId account, AccountBroadcast broadcast, StreamMember member) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Leave(account, broadcast, member);
            }
        }
    }
}
