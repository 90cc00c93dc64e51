using Grid.Chain.Rpc;
using Grid.Grains.Chain;
using Grid.Grains.Tests.Support;
using Grid.Runtime.Hosting;
using Grid.Runtime.Persistence;
using Grid.Storage;
using Grid.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Grid.Grains.Tests.Chain;

/// <summary>
/// A silo with the chain payment and wallet grains on one chain whose ETH has a fixed rate (so no node is ever asked),
/// over a grain state store whose writes a test can fail or hold (<see cref="FailingGrainStateStore"/>).
/// </summary>
internal static class ChainPaymentSilo
{
    public const ulong ChainId = 31337;

    /// <summary>Credits for one ETH.</summary>
    public const long CreditsPerEth = 1_000;

    public static Task<LedgerSilo> StartAsync(StorageOptions options) =>
        LedgerSilo.StartAsync(options, services: services =>
        {
            var settings = new ChainSettings
            {
                ChainId = ChainId,
                RpcUrl = "http://127.0.0.1:9/", // never asked: ETH has a fixed rate here
                DepositContract = "0x5FbDB2315678afecb367f032d93F642f64180aa3",
                Treasury = "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
                Eth = new EthSettings { CreditsPerEth = CreditsPerEth },
            };
            services.AddSingleton<ChainHttp>();
            services.AddSingleton(sp => new ChainCatalog(
                new ChainOptions { Chains = [settings] },
                (_, url) => new EthereumRpcClient(sp.GetRequiredService<ChainHttp>().Client, url, new EthereumRpcOptions(), TimeProvider.System)));
            services.AddSingleton<CreditRates>();
            services.AddGrain<ChainPaymentGrain>();
            services.AddGrain<WalletGrain>();
            services.AddSingleton(sp => new FailingGrainStateStore(ActivatorUtilities.CreateInstance<SqlGrainStateStore>(sp)));
            services.AddSingleton<IGrainStateStore>(sp => sp.GetRequiredService<FailingGrainStateStore>());
        });
}
