using Grid.Runtime;
using Grid.Runtime.Core;
using Grid.Runtime.Hosting;
using Grid.Runtime.Tests.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grid.Runtime.Tests.Support;

/// <summary>A silo in the test process: the real runtime over a service provider the test composes.</summary>
internal sealed class TestSilo : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private bool _stopped;

    private TestSilo(ServiceProvider services)
    {
        _services = services;
        Runtime = services.GetRequiredService<GrainRuntime>();
    }

    public GrainRuntime Runtime { get; }

    public IGrainFactory Grains => Runtime;

    public IServiceProvider Services => _services;

    public static async Task<TestSilo> StartAsync(Action<IServiceCollection>? configure = null, TimeProvider? time = null, Action<GrainRuntimeOptions>? options = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddGrainRuntime(options);
        services.AddSingleton<ActivationLog>();
        services.AddSingleton<ConcurrencyProbe>();
        services.AddSingleton<Gate>();
        services.AddGrain<CounterGrain>();
        services.AddGrain<ExclusiveProbeGrain>();
        services.AddGrain<ReentrantProbeGrain>();
        services.AddGrain<CycleGrain>();
        services.AddGrain<HangingGrain>();
        services.AddGrain<TimerGrain>();
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider();
        var silo = new TestSilo(provider);
        await silo.Runtime.StartAsync(CancellationToken.None);
        return silo;
    }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Graceful stop: every activation's OnDeactivateAsync runs.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(3)); // tests with hung grains stop anyway
            await Runtime.StopAsync(bound.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _services.DisposeAsync();
    }
}
