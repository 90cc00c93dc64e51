using Grid.Contracts.Accounts;
using Grid.Grains.Accounts;
using Grid.Grains.Ledger;
using Grid.Runtime.Hosting;
using Grid.Runtime.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Grid.Grains.Hosting;

public static class LedgerServiceCollectionExtensions
{
    /// <summary>Adds the account grain and the silo-wide journal writer. Needs an ILedgerStore (AddGridStorage).</summary>
    public static IServiceCollection AddLedger(this IServiceCollection services, IConfiguration? configuration = null, Action<LedgerOptions>? configure = null)
    {
        var options = services.AddOptions<LedgerOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(LedgerOptions.SectionName));
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddSingleton<JournalWriter>();
        services.AddGrain<AccountGrain>();
        services.AddSingleton<IRemoteExceptionCodec, LedgerExceptionCodec>(); // refusals keep their code across silos
        return services;
    }
}
