namespace Grid.Gateway.Streams;

/// <summary>A subscriber did not take a page of events within <see cref="StreamOptions.WriteTimeout"/>.</summary>
internal sealed class StreamWriteTimeoutException : Exception
{
    public StreamWriteTimeoutException()
        : base("The subscriber did not accept the stream's events in time.")
    {
    }

    public StreamWriteTimeoutException(string message)
        : base(message)
    {
    }

    public StreamWriteTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
