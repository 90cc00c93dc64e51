using Grid.Ledger.Persistence;

namespace Grid.Grains.Accounts;

/// <summary>
/// Rows that ride with the account's unwritten entries (rail events, cast and usage records), collected until the
/// next write takes them all into its append.
/// </summary>
internal sealed class UnwrittenRecords
{
    private readonly List<ProcessedEvent> _events = [];
    private readonly List<UsageRecord> _usage = [];
    private readonly List<CastRecord> _casts = [];

    public void Add(ProcessedEvent? processedEvent, SettlementRecords? settlement)
    {
        if (processedEvent is not null)
        {
            _events.Add(processedEvent);
        }

        if (settlement?.Cast is { } cast)
        {
            _casts.Add(cast);
        }

        if (settlement?.Usage is { } usage)
        {
            _usage.Add(usage);
        }
    }

    /// <summary>The append with every collected row on it; the collection is empty afterwards.</summary>
    public AccountAppend TakeInto(AccountAppend append)
    {
        var taken = append with { Events = [.. _events], Usage = [.. _usage], Casts = [.. _casts] };
        Clear();
        return taken;
    }

    public void Clear()
    {
        _events.Clear();
        _usage.Clear();
        _casts.Clear();
    }
}
