using Grid.Contracts.Sessions;

namespace Grid.Grains.Sessions;

/// <summary>A session as stored (grain state "session").</summary>
public sealed class SessionState
{
    public bool Exists => AccountId is not null;

    public string? AccountId { get; set; }

    public string HostAccountId { get; set; } = string.Empty;

    public long Deposit { get; set; }

    public decimal PricePerUnit { get; set; }

    public long CheckpointUnits { get; set; }

    public int HostSharePercent { get; set; }

    public string TreasuryAccountId { get; set; } = string.Empty;

    public SessionStatus Status { get; set; }

    public long Units { get; set; }

    /// <summary>Units whose cost is decided (the last checkpoint's cumulative units).</summary>
    public long BilledUnits { get; set; }

    public int Checkpoints { get; set; }

    public long Charged { get; set; }

    public long HostEarnings { get; set; }

    public long TreasuryEarnings { get; set; }

    public long? Released { get; set; }

    /// <summary>Ledger steps decided but not yet confirmed, in order; the first runs next.</summary>
    public List<SessionLeg> PendingLegs { get; set; } = [];

    /// <summary>
    /// Payout steps an account refused for good (a treasury closed with no other configured): set aside, logged, for a
    /// person to settle, so the payer's captures and the release of its deposit are not stuck behind them.
    /// </summary>
    public List<SessionLeg> ParkedLegs { get; set; } = [];

    /// <summary>Usage reports applied, by operation id, with the answer each got.</summary>
    public Dictionary<string, RecordedUsage> Reports { get; set; } = new(StringComparer.Ordinal);

    public string? EndOperationId { get; set; }

    /// <summary>The closed session's usage record is written; until then every run (and the reminder) tries again.</summary>
    public bool UsageRecorded { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// When the open session's idle time began: its deposit's hold confirmed, or its last new usage report. Null while the
    /// hold is still to be placed, and in a session stored before idle timeouts (it starts counting when it next loads).
    /// </summary>
    public DateTimeOffset? IdleSince { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }
}
