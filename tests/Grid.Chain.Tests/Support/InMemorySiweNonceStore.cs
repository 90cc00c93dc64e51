using Grid.Chain.Siwe;

namespace Grid.Chain.Tests.Support;

/// <summary>A nonce store for tests: nonces are issued by hand and each can be consumed once.</summary>
public sealed class InMemorySiweNonceStore : ISiweNonceStore
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _outstanding = new(StringComparer.Ordinal);

    public int ConsumeCalls { get; private set; }

    public void Issue(string nonce)
    {
        lock (_lock)
        {
            _outstanding.Add(nonce);
        }
    }

    public bool IsOutstanding(string nonce)
    {
        lock (_lock)
        {
            return _outstanding.Contains(nonce);
        }
    }

    public ValueTask<bool> TryConsumeAsync(string nonce, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            ConsumeCalls++;
            return ValueTask.FromResult(_outstanding.Remove(nonce));
        }
    }
}
