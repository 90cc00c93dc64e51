using Grid.Grains.Payments;
using Grid.Runtime.Hosting;
using Grid.Stripe.Api;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grid.Grains.Hosting;

public static class PaymentServiceCollectionExtensions
{
    public const string StripeSectionName = "Grid:Stripe";

    /// <summary>
    /// Adds the payment grain and the Stripe API client from <c>Grid:Stripe</c> (<c>SecretKey</c>, <c>ApiBase</c>, retry
    /// settings). Without a secret key the grid runs without card payments: starts are refused, webhooks still verified.
    /// </summary>
    public static IServiceCollection AddCardPayments(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(StripeSectionName);
        services.AddSingleton(sp =>
        {
            var options = new StripeClientOptions();
            section.Bind(options);
            if (string.IsNullOrWhiteSpace(options.SecretKey))
            {
                return new StripeConnection(null);
            }

            var client = new StripeClient(options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<StripeClient>>());
            return new StripeConnection(client);
        });
        services.AddOptions<AutoReloadOptions>()
            .Bind(configuration.GetSection(AutoReloadOptions.PricingSectionName))
            .Bind(configuration.GetSection(AutoReloadOptions.SectionName));
        services.AddSingleton<WaitingEventProbe>();
        services.AddGrain<PaymentGrain>();
        services.AddGrain<AutoReloadGrain>();
        services.AddGrain<StripeCustomerGrain>();
        services.AddGrain<OpenCheckoutsGrain>();
        return services;
    }
}
