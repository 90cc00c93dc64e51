using System.Collections.Concurrent;
using System.Diagnostics;
using Grid.Chain.TestKit.Rpc;

namespace Grid.Bench.Chain;

/// <summary>
/// When each new block appeared on the node, as this process saw it: eth_blockNumber every few milliseconds. A block
/// header's timestamp is in whole seconds, too coarse against a one-second block time; this is precise to the poll.
/// </summary>
public sealed class BlockArrivals : IAsyncDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    private readonly ConcurrentDictionary<long, long> _arrivals = new();
    private readonly AnvilClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;
    private long _skips;

    private BlockArrivals(Uri rpcUrl)
    {
        _client = new AnvilClient(rpcUrl);
        _watching = Task.Run(WatchAsync);
    }

    /// <summary>Polls that found more than one new block: those blocks' times are less precise.</summary>
    public long Skips => Interlocked.Read(ref _skips);

    public static BlockArrivals Start(Uri rpcUrl) => new(rpcUrl);

    /// <summary>The <see cref="Stopwatch"/> timestamp when <paramref name="block"/> was first seen, if it was.</summary>
    public long? ArrivalOf(long block) => _arrivals.TryGetValue(block, out var at) ? at : null;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _watching;
        }
        catch (OperationCanceledException)
        {
            // stopped
        }

        _client.Dispose();
        _stop.Dispose();
    }

    private async Task WatchAsync()
    {
        var known = await _client.GetBlockNumberAsync(_stop.Token);
        while (!_stop.IsCancellationRequested)
        {
            var head = await _client.GetBlockNumberAsync(_stop.Token);
            var now = Stopwatch.GetTimestamp();
            if (head > known + 1)
            {
                Interlocked.Increment(ref _skips);
            }

            for (var block = known + 1; block <= head; block++)
            {
                _arrivals.TryAdd(block, now);
            }

            known = Math.Max(known, head);
            await Task.Delay(PollInterval, _stop.Token);
        }
    }
}
