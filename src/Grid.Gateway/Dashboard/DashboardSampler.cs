using System.Globalization;
using System.Text.Json;
using Grid.Runtime.Hosting;
using Grid.Runtime.Membership;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grid.Gateway.Dashboard;

/// <summary>
/// Samples the cluster for open dashboards, and only then: the first viewer starts a loop that reads this silo's
/// counters and asks the other silos in the view for theirs, every
/// Grid:Dashboard:SampleIntervalMs; it keeps a bounded history for charts and hands each frame to every viewer.
/// The last viewer to leave stops the loop and drops the history, so a silo nobody watches spends nothing on it.
/// </summary>
public sealed partial class DashboardSampler : IAsyncDisposable
{
    private readonly SiloReader _reader;
    private readonly RemoteSiloReader _remote;
    private readonly SiloIdentity _silo;
    private readonly MembershipService? _membership;
    private readonly DashboardOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DashboardSampler> _logger;
    private readonly ulong[] _chainIds;
    private readonly Lock _lock = new();
    private readonly List<DashboardViewer> _viewers = []; // guarded by _lock
    private Run? _run; // guarded by _lock
    private long _ticks;

    public DashboardSampler(
        SiloReader reader, RemoteSiloReader remote, SiloIdentity silo, IServiceProvider services, IConfiguration configuration,
        IOptions<DashboardOptions> options, TimeProvider time, ILogger<DashboardSampler> logger)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        _reader = reader;
        _remote = remote;
        _silo = silo;
        _membership = services.GetService<MembershipService>();
        _options = options.Value;
        _time = time;
        _logger = logger;
        _chainIds = configuration.GetSection("Grid:Chains").GetChildren()
            .Select(c => ulong.TryParse(c["ChainId"], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0)
            .Where(id => id > 0)
            .Distinct()
            .ToArray();
    }

    /// <summary>Whether the loop runs, how many samples were taken since the silo started, and how many viewers there are.</summary>
    public SamplerState State
    {
        get
        {
            lock (_lock)
            {
                return new SamplerState(_run is not null, Interlocked.Read(ref _ticks), _viewers.Count, _options.SampleIntervalMs);
            }
        }
    }

    /// <summary>A new viewer (starting the loop if it is the first), or null when <see cref="DashboardOptions.MaxViewers"/> are open.</summary>
    public DashboardViewer? Join()
    {
        lock (_lock)
        {
            if (_viewers.Count >= _options.MaxViewers)
            {
                return null;
            }

            var viewer = new DashboardViewer(this);
            _viewers.Add(viewer);
            if (_run is null)
            {
                var run = new Run(new FrameCalculator(_options.SampleInterval));
                _run = run;
                run.Loop = Task.Run(() => LoopAsync(run));
            }

            return viewer;
        }
    }

    /// <summary>The history kept so far (oldest first), for a viewer that just joined.</summary>
    public IReadOnlyList<DashboardFrame> History()
    {
        lock (_lock)
        {
            return _run is null ? [] : [.. _run.History];
        }
    }

    /// <summary>
    /// The cluster now, read for this request alone (totals and statuses; rates need two samples, so they are null),
    /// and the samples kept while the loop runs. Starts nothing.
    /// </summary>
    public async Task<DashboardSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var calculator = new FrameCalculator(_options.SampleInterval);
        var sample = await SampleAsync(calculator, keepFeed: false, cancellationToken);
        return new DashboardSnapshot(calculator.Next(sample, State), History());
    }

    public async ValueTask DisposeAsync()
    {
        Run? run;
        DashboardViewer[] viewers;
        lock (_lock)
        {
            run = _run;
            _run = null;
            viewers = [.. _viewers];
            _viewers.Clear();
        }

        foreach (var viewer in viewers)
        {
            viewer.Dispose();
        }

        if (run is not null)
        {
            await run.Stop.CancelAsync();
            if (run.Loop is { } loop)
            {
                await loop.ContinueWith(static _ => { }, TaskScheduler.Default);
            }
        }

        _remote.Dispose();
    }

    internal void Leave(DashboardViewer viewer)
    {
        Run? stopped = null;
        lock (_lock)
        {
            if (_viewers.Remove(viewer) && _viewers.Count == 0 && _run is not null)
            {
                stopped = _run;
                _run = null;
            }
        }

        stopped?.Stop.Cancel();
    }

    private async Task LoopAsync(Run run)
    {
        var stop = run.Stop.Token;
        using var timer = new PeriodicTimer(_options.SampleInterval, _time);
        try
        {
            do
            {
                try
                {
                    Publish(run, await SampleAsync(run.Calculator, keepFeed: true, stop));
                }
                catch (Exception failed) when (failed is not OperationCanceledException)
                {
                    LogSampleFailed(_logger, failed);
                }
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // the last viewer left
        }
        finally
        {
            run.Stop.Dispose();
        }
    }

    private void Publish(Run run, ClusterSample sample)
    {
        DashboardViewer[] viewers;
        DashboardFrame frame;
        lock (_lock)
        {
            if (!ReferenceEquals(_run, run))
            {
                return; // stopped meanwhile: nobody to show it to, and no tick of a sampler said to be stopped
            }

            // Counted under the lock that stops a run: once the state reads "not running", ticks stand still.
            frame = run.Calculator.Next(sample, new SamplerState(true, Interlocked.Increment(ref _ticks), _viewers.Count, _options.SampleIntervalMs));
            run.History.Enqueue(frame);
            while (run.History.Count > _options.HistoryLength)
            {
                run.History.Dequeue();
            }

            viewers = [.. _viewers];
        }

        var json = JsonSerializer.Serialize(frame, DashboardJsonContext.Default.DashboardFrame);
        foreach (var viewer in viewers)
        {
            viewer.Offer(json);
        }
    }

    private async Task<ClusterSample> SampleAsync(FrameCalculator calculator, bool keepFeed, CancellationToken cancellationToken)
    {
        var self = _reader.Read(calculator.FeedCursor(_silo.Id), keepFeed);
        var others = _membership?.View.Silos.Where(s => s.SiloId != _silo.Id).ToArray() ?? [];
        var remote = others.Select(async s => (s, await _remote.ReadAsync(s, calculator.FeedCursor(s.SiloId), keepFeed, cancellationToken))).ToArray();
        return new ClusterSample(self, await Task.WhenAll(remote), _chainIds);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard sample failed; the next one tries again")]
    private static partial void LogSampleFailed(ILogger logger, Exception error);

    /// <summary>One stretch of sampling, from the first viewer to the last one leaving.</summary>
    private sealed class Run(FrameCalculator calculator)
    {
        public FrameCalculator Calculator { get; } = calculator;

        public CancellationTokenSource Stop { get; } = new();

        public Queue<DashboardFrame> History { get; } = new();

        public Task? Loop { get; set; }
    }
}
