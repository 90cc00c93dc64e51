namespace Grid.Chain.Rpc.Transport;

/// <summary>A node's answer passed the most the transport reads (<see cref="BoundedReadStream"/>).</summary>
internal sealed class AnswerTooLargeException(long limit) : IOException($"The answer passed {limit} bytes.")
{
    public long Limit { get; } = limit;
}
