using Grid.Runtime;
using Microsoft.Extensions.Options;

namespace Grid.Grains.Ledger;

/// <summary>Settings of the account ledger, section <c>Grid:Ledger</c>.</summary>
public sealed class LedgerOptions
{
    public const string SectionName = "Grid:Ledger";

    /// <summary>Recent operation ids each active account keeps in memory; older ones are looked up in the journal.</summary>
    public int IdempotencyWindow { get; set; } = 1_000;

    /// <summary>Merge appends of many accounts into one database transaction (the silo-wide writer).</summary>
    public bool MergeAppends { get; set; } = true;

    /// <summary>Most account appends one merged transaction carries.</summary>
    public int MaxAppendBatch { get; set; } = 512;

    /// <summary>Merged transactions in flight at once; unset: what the store prefers (SQLite 1, PostgreSQL 2).</summary>
    public int? Writers { get; set; }

    /// <summary>Appends that may wait for a writer; callers wait beyond that (back-pressure, not unbounded growth).</summary>
    public int AppendQueueCapacity { get; set; } = 16_384;

    /// <summary>
    /// Period of the hold-expiry reminder: an idle account's expired hold is released at most this late, and
    /// a failed expiry (store down) is tried again this often. Captures and voids after the expiry are refused at once.
    /// </summary>
    public TimeSpan ExpiryRetryPeriod { get; set; } = TimeSpan.FromMinutes(1);

    public void Validate()
    {
        var errors = new List<string>();
        if (IdempotencyWindow is < 16 or > 1_000_000)
        {
            errors.Add($"{SectionName}:IdempotencyWindow must be from 16 to 1000000.");
        }

        if (MaxAppendBatch is < 1 or > 10_000)
        {
            errors.Add($"{SectionName}:MaxAppendBatch must be from 1 to 10000.");
        }

        if (Writers is < 1 or > 64)
        {
            errors.Add($"{SectionName}:Writers must be from 1 to 64.");
        }

        if (AppendQueueCapacity < MaxAppendBatch)
        {
            errors.Add($"{SectionName}:AppendQueueCapacity must be at least MaxAppendBatch.");
        }

        if (ExpiryRetryPeriod < TimeSpan.FromSeconds(1) || ExpiryRetryPeriod > ReminderLimits.MaxSchedule)
        {
            errors.Add($"{SectionName}:ExpiryRetryPeriod must be from 1 second to 1,000 days (it is a reminder's period).");
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(LedgerOptions), errors);
        }
    }
}
