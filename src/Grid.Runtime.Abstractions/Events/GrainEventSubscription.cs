using System.Threading.Channels;

namespace Grid.Runtime;

/// <summary>A live subscription; dispose it to stop receiving.</summary>
public sealed class GrainEventSubscription<TEvent>(ChannelReader<TEvent> reader, IDisposable registration) : IDisposable
{
    public ChannelReader<TEvent> Reader { get; } = reader;

    public IAsyncEnumerable<TEvent> ReadAllAsync(CancellationToken cancellationToken = default) =>
        Reader.ReadAllAsync(cancellationToken);

    public void Dispose() => registration.Dispose();
}
