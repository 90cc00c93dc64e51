namespace Grid.Bench.Chain;

/// <summary>
/// One paid intent: the block that included the payment and the one that gave it its last required confirmation,
/// and the time to its credit from the transaction's send, from the confirming block's appearance on the node, and
/// from that block's header timestamp (whole seconds, so up to a second more).
/// </summary>
public sealed record LatencySample(
    int Index,
    long IncludedBlock,
    long ConfirmingBlock,
    TimeSpan FromSend,
    TimeSpan FromConfirmingBlock,
    TimeSpan FromConfirmingTimestamp);
