using Grid.Runtime;
using Grid.Runtime.Core;
using Grid.Runtime.Hosting;
using Grid.Runtime.Tests.Grains;
using Grid.Storage;
using Grid.Storage.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Grid.Runtime.Tests.Support;

/// <summary>A silo in the test process: the real runtime in a real generic host, optionally over a real store.</summary>
internal sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private TestSilo(IHost host)
    {
        _host = host;
        Runtime = host.Services.GetRequiredService<GrainRuntime>();
    }

    public GrainRuntime Runtime { get; }

    public IGrainFactory Grains => Runtime;

    public static async Task<TestSilo> StartAsync(
        Action<IServiceCollection>? configure = null,
        TimeProvider? time = null,
        Action<GrainRuntimeOptions>? options = null,
        StorageOptions? storage = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        if (storage is not null)
        {
            builder.Services.AddGridStorage(storage);
        }

        builder.Services.AddGrainRuntime(options);
        builder.Services.AddSingleton<ActivationLog>();
        builder.Services.AddSingleton<ConcurrencyProbe>();
        builder.Services.AddSingleton<Gate>();
        builder.Services.AddSingleton<ReminderLog>();
        builder.Services.AddSingleton<TimerTickLog>();
        builder.Services.AddGrain<CounterGrain>();
        builder.Services.AddGrain<ExclusiveProbeGrain>();
        builder.Services.AddGrain<ReentrantProbeGrain>();
        builder.Services.AddGrain<CycleGrain>();
        builder.Services.AddGrain<HangingGrain>();
        builder.Services.AddGrain<TimerGrain>();
        builder.Services.AddGrain<ActivationTimerGrain>();
        builder.Services.AddGrain<StatefulGrain>();
        builder.Services.AddGrain<ReminderGrain>();
        builder.Services.AddGrain<MixedGrain>();
        builder.Services.AddGrain<ChainGrain>();
        builder.Services.AddGrain<BusyTimerGrain>();
        builder.Services.AddGrain<SlowDeactivationGrain>();
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new TestSilo(host);
    }

    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    /// <summary>Graceful stop: every activation's OnDeactivateAsync runs.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(3)); // tests with hung grains stop anyway
            await _host.StopAsync(bound.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
