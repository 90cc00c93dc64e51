using Grid.Gateway.Auth;
using Grid.Gateway.Cluster;
using Grid.Gateway.Dashboard;
using Grid.Gateway.Hosting;
using Grid.Gateway.Payments;
using Grid.Gateway.Casts;
using Grid.Grains.Chain;
using Grid.Grains.Payments;
using Grid.Gateway.Streams;
using Grid.Grains.Hosting;
using Grid.Grains.Ledger;
using Grid.Runtime.Hosting;
using Grid.Runtime.Membership;
using Grid.Silo.Telemetry;
using Grid.Storage;
using Grid.Storage.Hosting;
using Grid.Storage.Migrations;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Grid.Silo;

/// <summary>
/// What a silo is, composed from its configuration: storage, grain runtime, ledger, the cluster when enabled,
/// and the gateway. The silo executable uses it, and so do tests that run silos inside their own process.
/// </summary>
public static class SiloComposition
{
    /// <summary>Registers everything a silo runs, from <c>builder.Configuration</c> (set the gateway URLs first).</summary>
    public static WebApplicationBuilder AddGridSilo(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var cluster = configuration.GetSection(ClusterOptions.SectionName);
        var clustered = cluster.GetValue<bool>(nameof(ClusterOptions.Enabled));
        if (clustered && configuration[StorageOptions.AnnounceJournalKey] is null)
        {
            // Watchers of an account may sit on any silo or client: clustered silos announce appends unless told not to.
            configuration[StorageOptions.AnnounceJournalKey] = "true";
        }

        // Hosted services stop in the reverse order of their registration: the exporter first registered stops last, after
        // the grains' final work, and its last flush carries that.
        builder.Services.AddHostedService<OtlpExport>();
        // The host hands Kestrel its section for endpoints and certificates only: the limits (the connection caps the
        // shipped settings set) are bound here, or they would be silently ignored.
        builder.Services.Configure<KestrelServerOptions>(kestrel => configuration.GetSection("Kestrel:Limits").Bind(kestrel.Limits));
        builder.Services.AddGridStorage(configuration);
        builder.Services.AddOptions<GrainRuntimeOptions>().Bind(configuration.GetSection(GrainRuntimeOptions.SectionName));
        builder.Services.AddGrainRuntime();
        // The host's whole stop must leave the grains their deactivation timeout, with room for the cluster's leave and the
        // web server's drain around it (the default, 30 s, is the deactivation timeout alone).
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<GrainRuntimeOptions>>(
            (host, runtime) => host.ShutdownTimeout = runtime.Value.DeactivationTimeout + TimeSpan.FromSeconds(20));
        builder.Services.AddLedger(configuration);
        builder.Services.AddCardPayments(configuration);
        builder.Services.AddChainPayments(configuration);
        builder.Services.AddCasts(configuration);
        builder.Services.AddSessions(configuration);
        builder.Services.AddOptions<ClusterOptions>().Bind(cluster);
        // A missing or malformed endpoint is reported by the validation in PrepareGridSiloAsync, as one line.
        Uri.TryCreate(cluster[nameof(ClusterOptions.Endpoint)], UriKind.Absolute, out var clusterEndpoint);
        if (clustered)
        {
            builder.Services.AddGridCluster();
            if (clusterEndpoint is not null)
            {
                // Listeners set in code take over from the URLs; clearing them spares a warning on every start.
                var gatewayUrls = configuration[WebHostDefaults.ServerUrlsKey]!;
                builder.WebHost.UseUrls();
                builder.WebHost.ConfigureKestrel(kestrel => ClusterListeners.Configure(kestrel, gatewayUrls, clusterEndpoint));
            }
        }

        builder.Services.AddSingleton(sp => SiloIdentity.Create(configuration["Grid:Cluster:SiloName"], sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddGridGateway(configuration);
        builder.Services.AddOptions<OtlpExportOptions>().Bind(configuration.GetSection(OtlpExportOptions.SectionName));
        return builder;
    }

    /// <summary>
    /// Settles the settings and the schema before the host starts (so a wrong setting is one clear line), then
    /// maps the gateway and, when clustered, the cluster port's routes. Returns how many migrations it applied.
    /// </summary>
    public static async Task<int> PrepareGridSiloAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Services.GetRequiredService<IOptions<GrainRuntimeOptions>>().Value.Validate();
        app.Services.GetRequiredService<IOptions<LedgerOptions>>().Value.Validate();
        app.Services.GetRequiredService<IOptions<StreamOptions>>().Value.Validate();
        _ = app.Services.GetRequiredService<SignedTokens>(); // checks Grid:Auth:TokenSecret
        app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.Validate();
        app.Services.GetRequiredService<IOptions<TopUpOptions>>().Value.Validate();
        app.Services.GetRequiredService<IOptions<StripeWebhookOptions>>().Value.Validate();
        _ = app.Services.GetRequiredService<StripeConnection>(); // checks Grid:Stripe when a secret key is set
        _ = app.Services.GetRequiredService<ChainCatalog>(); // checks Grid:Chains
        app.Services.GetRequiredService<IOptions<PricingOptions>>().Value.Validate();
        app.Services.GetRequiredService<IOptions<Grid.Gateway.Dashboard.DashboardOptions>>().Value.Validate();
        app.Services.GetRequiredService<IOptions<Grid.Grains.Sessions.SessionOptions>>().Value.Validate();
        app.Services.GetRequiredService<IOptions<OtlpExportOptions>>().Value.Validate();
        app.Services.GetRequiredService<IOptions<Grid.Grains.Casts.CastOptions>>().Value.Validate();
        app.Services.GetRequiredService<IOptions<Grid.Grains.Payments.AutoReloadOptions>>().Value.Validate();
        var database = app.Services.GetRequiredService<GridDatabase>();
        var cluster = app.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        ValidateCluster(cluster, database.Provider);
        var applied = await app.Services.GetRequiredService<MigrationRunner>().ApplyAsync(cancellationToken);
        app.MapGridGateway();
        if (cluster.Enabled)
        {
            var clusterPort = new Uri(cluster.Endpoint!).Port;
            app.MapClusterCalls(clusterPort);
            app.MapDashboardReadings(clusterPort);
        }

        return applied.Count;
    }

    // Clusters fence and meet through one shared database; an embedded SQLite file cannot be shared.
    private static void ValidateCluster(ClusterOptions cluster, StorageProvider provider)
    {
        if (cluster.Enabled && provider != StorageProvider.Postgres)
        {
            throw new OptionsValidationException(
                ClusterOptions.SectionName,
                typeof(ClusterOptions),
                [$"{ClusterOptions.SectionName}:Enabled needs Grid:Storage:Provider postgres; {provider.ToString().ToLowerInvariant()} cannot be shared between silos."]);
        }

        cluster.Validate();
    }
}
