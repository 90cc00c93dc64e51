using Grid.Contracts.Accounts;
using Grid.Runtime;
using Microsoft.Extensions.Logging;

namespace Grid.Gateway.Streams;

/// <summary>
/// All streams of one account on this silo, fed by one subscription to the account's appends: each append is
/// written into every joined stream's response from a single loop, so fan-out costs one wake per append, not
/// one per subscriber. Members that cannot take a write at once are let go and catch up on their own.
/// </summary>
internal sealed class AccountBroadcast : IDisposable
{
    private readonly GrainId _account;
    private readonly IGrainEvents _events;
    private readonly int _capacity;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private StreamMember[] _members = [];
    private Task? _pump;

    public AccountBroadcast(GrainId account, IGrainEvents events, int capacity, ILogger logger)
    {
        _account = account;
        _events = events;
        _capacity = capacity;
        _logger = logger;
    }

    /// <summary>Streams registered here (the owner disposes the broadcast when it reaches zero).</summary>
    public int Count => Volatile.Read(ref _members).Length;

    public void Add(StreamMember member)
    {
        lock (_lock)
        {
            _members = [.. _members, member];
            _pump ??= Task.Run(PumpAsync);
        }
    }

    public void Remove(StreamMember member)
    {
        lock (_lock)
        {
            _members = [.. _members.Where(m => !ReferenceEquals(m, member))];
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task PumpAsync()
    {
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            using var appends = _events.Subscribe<JournalAppended>(_account, _capacity);
            // Members that joined before this subscription existed may have missed an append.
            foreach (var member in Volatile.Read(ref _members))
            {
                member.Lost();
            }

            try
            {
                await foreach (var append in appends.ReadAllAsync(stop))
                {
                    foreach (var member in Volatile.Read(ref _members))
                    {
                        member.Offer(append.Entries);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (SubscriberTooSlowException overrun)
            {
                _logger.LogWarning(overrun, "Stream broadcast of {Account} fell behind its appends; its streams catch up from the journal", _account);
            }
            catch (Exception broken) when (broken is not OutOfMemoryException)
            {
                // Streams never depend on the broadcast alone (they poll the journal when it is quiet), but say so.
                _logger.LogError(broken, "Stream broadcast of {Account} failed; it starts again and its streams catch up from the journal", _account);
                await Task.Delay(TimeSpan.FromSeconds(1), stop).ContinueWith(static _ => { }, TaskScheduler.Default);
            }
        }
    }
}
