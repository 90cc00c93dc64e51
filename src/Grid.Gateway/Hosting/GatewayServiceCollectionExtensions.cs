using System.Text.Json.Serialization;
using Grid.Gateway.App;
using Grid.Gateway.Auth;
using Grid.Gateway.Dashboard;
using Grid.Gateway.Health;
using Grid.Gateway.Metrics;
using Grid.Gateway.Payments;
using Grid.Stripe.Webhooks;
using Grid.Gateway.RateLimiting;
using Grid.Gateway.Siwe;
using Grid.Gateway.OpenApi;
using Grid.Gateway.Streams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Hosting;

public static class GatewayServiceCollectionExtensions
{
    public static IServiceCollection AddGridGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName));
        services.AddSingleton<AdminKeyVerifier>();
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<SignedTokens>();
        services.AddSingleton<CallerResolver>();
        services.AddSingleton<SiweNonces>();
        services.AddSingleton<SiweProof>();
        services.AddSingleton<IntentPaymentIds>();
        services.AddSingleton<PaymentClaims>();
        services.AddOptions<Casts.PricingOptions>().Bind(configuration.GetSection(Casts.PricingOptions.SectionName));
        var limits = configuration.GetSection(RateLimitOptions.SectionName).Get<RateLimitOptions>() ?? new RateLimitOptions();
        limits.Validate(); // now, so a wrong setting stops the silo at start rather than at its first request
        services.AddSingleton(limits);
        var proxies = Proxies.TrustedProxyOptions.From(configuration);
        var trusted = proxies.Networks(); // now, so a wrong entry stops the silo at start
        services.Configure<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var network in trusted)
            {
                forwarded.KnownIPNetworks.Add(network);
            }
        });
        services.AddSingleton(proxies);
        services.AddSingleton<KeyLookupGuard>();
        services.AddKeyedSingleton(AddressAllowance.GuestAccounts, (_, _) => new AddressAllowance(limits.Enabled, limits.GuestAccountsPerMinute, limits.GuestAccountBurst));
        services.AddKeyedSingleton(AddressAllowance.NewIntents, (_, _) => new AddressAllowance(limits.Enabled, limits.AnonymousIntentsPerMinute, limits.AnonymousIntentBurst));
        services.AddKeyedSingleton(AddressAllowance.NewCheckouts, (_, _) => new AddressAllowance(limits.Enabled, limits.EndUserCheckoutsPerMinute, limits.EndUserCheckoutBurst));
        services.AddRateLimiter(limiter => CallerRateLimits.Configure(limiter, limits));
        services.AddSingleton<JournalAnnouncements>();
        services.AddSingleton<StreamFrames>();
        services.AddSingleton<StreamBroadcasts>();
        services.AddSingleton<StreamSlots>();
        services.AddOptions<StreamOptions>().Bind(configuration.GetSection(StreamOptions.SectionName));
        services.AddOptions<TopUpOptions>().Bind(configuration.GetSection(TopUpOptions.SectionName));
        services.AddOptions<StripeWebhookOptions>()
            .Bind(configuration.GetSection(StripeWebhookOptions.SectionName))
            .PostConfigure(o => o.LiveMode ??= Grid.Stripe.Api.StripeClientOptions.LiveModeOf(configuration[$"{StripeWebhookOptions.SectionName}:SecretKey"]));
        services.AddSingleton(sp =>
        {
            var webhooks = sp.GetRequiredService<IOptions<StripeWebhookOptions>>().Value;
            return new StripeSignatureVerifier(webhooks.WebhookSecrets, sp.GetRequiredService<TimeProvider>(), webhooks.Tolerance);
        });
        services.AddSingleton<AppAssets>();
        services.AddGridMetrics();
        services.AddGridDashboard(configuration);
        services.AddProblemDetails();
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, GatewayJsonContext.Default);
            // The web defaults read numbers from strings too; the gateway never does (API.md: amounts are JSON numbers),
            // and the OpenAPI schemas, made from these options, must not say it does.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        services.AddOpenApi(GatewayOpenApi.DocumentName, GatewayOpenApi.Configure);
        services.AddHealthChecks().AddCheck<StorageReadyCheck>("storage", tags: ["ready"]);
        return services;
    }
}
