using Grid.Runtime.Core;
using Microsoft.Extensions.Hosting;

namespace Grid.Runtime.Hosting;

/// <summary>Starts reminders and idle collection with the host; on shutdown deactivates every grain gracefully.</summary>
internal sealed class GrainRuntimeHostedService(GrainRuntime runtime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => runtime.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => runtime.StopAsync(cancellationToken);
}
