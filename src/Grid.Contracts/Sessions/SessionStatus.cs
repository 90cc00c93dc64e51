namespace Grid.Contracts.Sessions;

public enum SessionStatus
{
    /// <summary>Taking usage.</summary>
    Open,

    /// <summary>Ended by its caller: the last part captured, the rest of the hold released.</summary>
    Ended,

    /// <summary>Usage cost more than the deposit: the whole hold was captured and the session closed.</summary>
    Exhausted,

    /// <summary>No usage came for the silo's idle timeout: ended by itself, as an end would (reported units charged, the rest released).</summary>
    Expired,
}
