namespace Grid.Contracts.Casts;

/// <summary>
/// Which of a start's values the client left to the silo's configuration (the price table, the default buffer and
/// timeout). A repeat of the start is judged by what the client sent, so a retry after the operator changed the
/// configuration is the same request and answers the first start, not a conflict.
/// </summary>
[Flags]
public enum CastStartDefaults
{
    None = 0,
    Quote = 1,
    BufferPercent = 2,
    Timeout = 4,
}
