using System.Threading.Channels;

namespace Grid.Gateway.Dashboard;

/// <summary>
/// One open dashboard stream: the frames (serialized once for all viewers) waiting to be written. A viewer that
/// does not keep up loses its oldest frames; the next one still shows the cluster as it is.
/// </summary>
public sealed class DashboardViewer(DashboardSampler sampler) : IDisposable
{
    private const int Backlog = 8;

    private readonly Channel<string> _frames = Channel.CreateBounded<string>(new BoundedChannelOptions(Backlog)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropOldest,
    });

    public ChannelReader<string> Frames => _frames.Reader;

    internal void Offer(string frameJson) => _frames.Writer.TryWrite(frameJson);

    public void Dispose()
    {
        _frames.Writer.TryComplete();
        sampler.Leave(this);
    }
}
