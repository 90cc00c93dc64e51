using Grid.Chain.Rpc;
using Grid.Contracts.Chain;
using Grid.Grains.Chain;
using Grid.Runtime.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Grid.Grains.Hosting;

public static class ChainServiceCollectionExtensions
{
    /// <summary>
    /// Adds on-chain payments for the chains under <c>Grid:Chains</c> (none configured: intents are refused and no
    /// watcher runs), the wallet grain (always: sign-in needs it), and a start-up wake-up of each chain's watcher.
    /// </summary>
    public static IServiceCollection AddChainPayments(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(sp =>
        {
            var options = new ChainOptions { Chains = configuration.GetSection(ChainOptions.SectionName).Get<List<ChainSettings>>() ?? [] };
            var http = sp.GetRequiredService<ChainHttp>().Client;
            var time = sp.GetRequiredService<TimeProvider>();
            return new ChainCatalog(options, (_, url) => new EthereumRpcClient(http, url, new EthereumRpcOptions(), time));
        });
        services.AddSingleton<ChainHttp>();
        services.AddSingleton<CreditRates>();
        services.AddSingleton<DepositLogReader>();
        services.AddSingleton<IDepositReceipts, DepositReceipts>();
        services.AddSingleton<ChainWatcherMetrics>();
        services.AddGrain<ChainWatcherGrain>();
        services.AddGrain<ChainPaymentGrain>();
        services.AddGrain<WalletGrain>();
        services.AddHostedService<ChainWatcherStarter>();
        return services;
    }
}
