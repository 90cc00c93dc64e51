using Grid.Gateway.Cluster;
using Grid.Gateway.Hosting;
using Grid.Grains.Hosting;
using Grid.Grains.Ledger;
using Grid.Runtime.Hosting;
using Grid.Runtime.Membership;
using Grid.Silo;
using Grid.Storage;
using Grid.Storage.Hosting;
using Grid.Storage.Migrations;
using Microsoft.Extensions.Options;
using Serilog;

// appsettings.json sits beside the binary; relative data paths resolve against the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

using var serilog = SiloLogging.Create(builder.Configuration);
builder.Logging.ClearProviders().AddSerilog(serilog);
var logger = serilog.ForContext("SourceContext", "Grid.Silo");

try
{
    var cluster = builder.Configuration.GetSection(ClusterOptions.SectionName);
    var clustered = cluster.GetValue<bool>(nameof(ClusterOptions.Enabled));
    if (clustered && builder.Configuration[StorageOptions.AnnounceJournalKey] is null)
    {
        // Watchers of an account may sit on any silo or client: clustered silos announce appends unless told not to.
        builder.Configuration[StorageOptions.AnnounceJournalKey] = "true";
    }

    builder.Services.AddGridStorage(builder.Configuration);
    builder.Services.AddOptions<GrainRuntimeOptions>().Bind(builder.Configuration.GetSection(GrainRuntimeOptions.SectionName));
    builder.Services.AddGrainRuntime();
    builder.Services.AddLedger(builder.Configuration);
    builder.Services.AddOptions<ClusterOptions>().Bind(cluster);
    // A missing or malformed endpoint is reported by the validation below, as one line.
    Uri.TryCreate(cluster[nameof(ClusterOptions.Endpoint)], UriKind.Absolute, out var clusterEndpoint);
    if (clustered)
    {
        builder.Services.AddGridCluster();
        if (clusterEndpoint is not null)
        {
            // Listeners set in code take over from the URLs; clearing them spares a warning on every start.
            var gatewayUrls = builder.Configuration[WebHostDefaults.ServerUrlsKey]!;
            builder.WebHost.UseUrls();
            builder.WebHost.ConfigureKestrel(kestrel => ClusterListeners.Configure(kestrel, gatewayUrls, clusterEndpoint));
        }
    }

    builder.Services.AddSingleton(sp => SiloIdentity.Create(builder.Configuration["Grid:Cluster:SiloName"], sp.GetRequiredService<TimeProvider>()));
    builder.Services.AddGridGateway(builder.Configuration);

    var app = builder.Build();

    // Settle the settings and the schema before the host starts, so a wrong setting is one clear line.
    app.Services.GetRequiredService<IOptions<GrainRuntimeOptions>>().Value.Validate();
    app.Services.GetRequiredService<IOptions<LedgerOptions>>().Value.Validate();
    var database = app.Services.GetRequiredService<GridDatabase>();
    ValidateCluster(app.Services.GetRequiredService<IOptions<ClusterOptions>>().Value, database.Provider);
    var applied = await app.Services.GetRequiredService<MigrationRunner>().ApplyAsync(app.Lifetime.ApplicationStopping);
    var silo = app.Services.GetRequiredService<SiloIdentity>();
    logger.Information("Silo {SiloId} starting on {Provider} storage; migrations applied now: {Applied}", silo.Id, database.Provider, applied.Count);

    app.MapGridGateway();
    if (clustered)
    {
        app.MapClusterCalls(clusterEndpoint!.Port);
    }

    await app.RunAsync();
    logger.Information("Silo {SiloId} stopped; all activations deactivated", silo.Id);
    return 0;
}
catch (Exception error) when (StartupFailure.Describe(error) is { } reason)
{
    logger.Fatal("Cannot start: {Reason}", reason);
    return 1;
}

// Clusters fence and meet through one shared database; an embedded SQLite file cannot be shared.
static void ValidateCluster(ClusterOptions cluster, StorageProvider provider)
{
    if (cluster.Enabled && provider != StorageProvider.Postgres)
    {
        throw new OptionsValidationException(
            ClusterOptions.SectionName, typeof(ClusterOptions), [$"{ClusterOptions.SectionName}:Enabled needs Grid:Storage:Provider postgres; {provider.ToString().ToLowerInvariant()} cannot be shared between silos."]);
    }

    cluster.Validate();
}

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
