using Grid.Grains.Hosting;
using Grid.Stripe.TestKit.StandIn;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Grid.Grains.Tests.Support;

/// <summary>Tests of card payments on an in-process silo over a fresh store, the Stripe stand-in as Stripe.</summary>
public abstract class StandInStripeTests(string provider) : IAsyncLifetime
{
    protected LedgerStorage Storage { get; private set; } = null!;

    protected StripeStandIn StandIn { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Storage = await LedgerStorage.CreateAsync(provider);
        StandIn = await StripeStandIn.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await StandIn.DisposeAsync();
        await Storage.DisposeAsync();
    }

    /// <summary>A silo with card payments against the stand-in; <paramref name="settings"/> add to or replace its Stripe settings.</summary>
    protected Task<LedgerSilo> StartCardSiloAsync(
        TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Grid:Stripe:SecretKey"] = StripeStandIn.SecretKey,
            ["Grid:Stripe:ApiBase"] = StandIn.BaseAddress.ToString(),
            ["Grid:Stripe:BaseDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return LedgerSilo.StartAsync(Storage.Options, time, services: s =>
        {
            s.AddCardPayments(configuration);
            services?.Invoke(s);
        });
    }
}
