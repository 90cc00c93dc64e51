namespace Grid.Runtime.Membership;

/// <summary>
/// A read of the membership that concurrent requests share while it is in flight: a burst of misrouted
/// calls costs the database one query, not one each.
/// </summary>
public sealed class SharedRead
{
    private readonly Lock _lock = new();
    private Task? _running;

    /// <summary>Joins the read in flight, or starts <paramref name="read"/>; <paramref name="cancellationToken"/> only stops this wait.</summary>
    public Task RunAsync(Func<Task> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_lock)
        {
            if (_running is not { IsCompleted: false })
            {
                _running = read();
            }

            return _running.WaitAsync(cancellationToken);
        }
    }
}
