namespace Grid.Grains.Chain;

/// <summary>The one HTTP client the silo's chain nodes are reached through (pooled connections, no overall timeout: each request has its own).</summary>
public sealed class ChainHttp : IDisposable
{
    public HttpClient Client { get; } = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };

    public void Dispose() => Client.Dispose();
}
