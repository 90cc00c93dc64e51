namespace Grid.Ledger.Persistence;

/// <summary>
/// A cast as stored (table <c>casts</c>). It is written in the same transaction as the journal entry that moved its
/// money (the hold with <see cref="CastRecordStage.Running"/>, the capture or void with the stage after it), so the
/// record and the ledger never disagree about what happened, and a cast costs no write of its own.
/// </summary>
/// <param name="CastId">The cast's id (its start's operation id).</param>
/// <param name="AccountId">The account that pays for it.</param>
/// <param name="Stage">How far it has come; a stored row only moves forward.</param>
/// <param name="DueAt">When the casts' sweeper should look at it (its timeout while running, soon while ending); null once ended.</param>
/// <param name="Payload">The cast's state as JSON, opaque to the store.</param>
/// <param name="UpdatedAt">When this version was written.</param>
public sealed record CastRecord(string CastId, string AccountId, CastRecordStage Stage, DateTimeOffset? DueAt, string Payload, DateTimeOffset UpdatedAt)
{
    public const int MaxIdLength = 255;
    public const int MaxPayloadLength = 16 * 1024;

    /// <summary>Throws <see cref="ArgumentException"/> on a record that must not reach the store.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(CastId);
        ArgumentException.ThrowIfNullOrEmpty(AccountId);
        ArgumentNullException.ThrowIfNull(Payload);
        if (CastId.Length > MaxIdLength || AccountId.Length > MaxIdLength)
        {
            throw new ArgumentException($"Cast and account ids are at most {MaxIdLength} characters.");
        }

        if (Payload.Length > MaxPayloadLength)
        {
            throw new ArgumentException($"A cast's payload is at most {MaxPayloadLength} characters.", nameof(Payload));
        }

        if (!Enum.IsDefined(Stage))
        {
            throw new ArgumentException($"Unknown cast stage {Stage}.", nameof(Stage));
        }

        if ((Stage == CastRecordStage.Ended) != (DueAt is null))
        {
            throw new ArgumentException("A cast is due for the sweeper until it has ended, and not after.", nameof(DueAt));
        }
    }
}
