using Grid.Storage.Migrations;
using Microsoft.Extensions.Hosting;

namespace Grid.Storage.Hosting;

/// <summary>
/// Applies migrations while the host is starting. It runs in StartingAsync, before any hosted
/// service's StartAsync, so the runtime never loads reminders or state from an old schema.
/// </summary>
internal sealed class MigrationHostedService(MigrationRunner runner) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => runner.ApplyAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
