using Grid.Ledger.Persistence;
using Grid.Runtime.Persistence;
using Grid.Runtime.Reminders;
using Grid.Storage.Hosting;
using Grid.Storage.Migrations;
using Grid.Storage.Stores;
using Grid.TestKit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Grid.Storage.Tests;

public sealed class StorageServiceCollectionTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task AddGridStorage_registers_the_stores_and_migrates_as_the_host_starts()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Grid:Storage:DataDirectory"] = _directory.Path })
            .Build();
        await using var services = new ServiceCollection().AddGridStorage(configuration).BuildServiceProvider();

        Assert.IsType<SqlGrainStateStore>(services.GetRequiredService<IGrainStateStore>());
        Assert.IsType<SqlReminderTable>(services.GetRequiredService<IReminderTable>());
        Assert.Same(services.GetRequiredService<ILedgerStore>(), Assert.IsType<SqlLedgerStore>(services.GetRequiredService<ILedgerStore>()));
        Assert.IsType<SqlUsageStore>(services.GetRequiredService<IUsageStore>());
        Assert.IsType<SqlCastStore>(services.GetRequiredService<ICastStore>());
        var runner = services.GetRequiredService<MigrationRunner>();
        Assert.False(await runner.IsUpToDateAsync(CancellationToken.None));

        foreach (var hosted in services.GetServices<IHostedService>().OfType<IHostedLifecycleService>())
        {
            await hosted.StartingAsync(CancellationToken.None);
        }

        Assert.True(await runner.IsUpToDateAsync(CancellationToken.None));
        Assert.True(File.Exists(Path.Combine(_directory.Path, "grid.db")));
    }

    [Fact]
    public void Bad_settings_fail_when_the_database_is_first_resolved()
    {
        using var services = new ServiceCollection()
            .AddGridStorage(new StorageOptions { Provider = "postgres" })
            .BuildServiceProvider();

        var error = Assert.Throws<StorageConfigurationException>(() => services.GetRequiredService<IGrainStateStore>());
        Assert.StartsWith("Grid:Storage:ConnectionString is missing", error.Message);
    }
}
