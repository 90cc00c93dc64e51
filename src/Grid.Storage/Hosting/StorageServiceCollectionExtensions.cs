using Grid.Ledger.Persistence;
using Grid.Runtime.Membership;
using Grid.Runtime.Persistence;
using Grid.Runtime.Reminders;
using Grid.Storage.Metrics;
using Grid.Storage.Migrations;
using Grid.Storage.Stores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Grid.Storage.Hosting;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Adds storage configured from Grid:Storage:* in the root configuration.</summary>
    public static IServiceCollection AddGridStorage(this IServiceCollection services, IConfiguration configuration) =>
        services.AddGridStorage(StorageOptions.FromConfiguration(configuration));

    /// <summary>
    /// Adds the <see cref="GridDatabase"/> (settings are validated when it is first resolved), the
    /// SQL <see cref="IGrainStateStore"/>, <see cref="IReminderTable"/> and <see cref="ILedgerStore"/>, the <see cref="MigrationRunner"/>,
    /// the <see cref="StorageMetrics"/>,
    /// and a hosted service that applies migrations as the host starts.
    /// </summary>
    public static IServiceCollection AddGridStorage(this IServiceCollection services, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<StorageMetrics>();
        services.AddSingleton(options);
        services.AddSingleton(sp => GridDatabase.Create(sp.GetRequiredService<StorageOptions>()));
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<IGrainStateStore, SqlGrainStateStore>();
        services.AddSingleton<IReminderTable, SqlReminderTable>();
        services.AddSingleton<IMembershipTable, SqlMembershipTable>();
        services.AddSingleton<SqlApiKeyStore>();
        services.AddSingleton<SqlTokenRevocationStore>();
        services.AddSingleton<SqlSiweNonceStore>();
        services.AddSingleton<ILedgerStore, SqlLedgerStore>();
        services.AddSingleton<IProcessedEventStore, SqlProcessedEventStore>();
        services.AddSingleton<IUsageStore, SqlUsageStore>();
        services.AddSingleton<ICastStore, SqlCastStore>();
        services.AddHostedService<MigrationHostedService>();
        return services;
    }
}
