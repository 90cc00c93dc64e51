using Grid.Storage.Migrations;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Grid.Gateway.Health;

/// <summary>Ready means: the store answers and every migration this build knows is applied.</summary>
internal sealed class StorageReadyCheck(MigrationRunner migrations) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await migrations.IsUpToDateAsync(cancellationToken)
                ? HealthCheckResult.Healthy("storage reachable, migrations applied")
                : HealthCheckResult.Unhealthy("migrations pending");
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("storage unreachable: " + error.Message);
        }
    }
}
