namespace Grid.Ledger.Persistence;

/// <summary>How far a cast has come. Stored rows only move forward: a write with an earlier or equal stage changes nothing.</summary>
public enum CastRecordStage
{
    /// <summary>Its hold is placed; it waits for an ending or its timeout.</summary>
    Running = 0,

    /// <summary>Its ending is decided and some of its ledger steps are done (a price beyond the hold: capture, then the rest).</summary>
    Ending = 1,

    /// <summary>Every ledger step of its ending is done.</summary>
    Ended = 2,
}
