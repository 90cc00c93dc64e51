using System.Globalization;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests.Dashboard;

/// <summary>
/// The built silo with an admin key and a fast dashboard sampler (100 ms), so tests see several samples in well
/// under a second; at most <see cref="MaxViewers"/> dashboards may be open at once.
/// </summary>
public sealed class DashboardSiloFixture : IAsyncLifetime
{
    public const string AdminKey = "dashboard-test-admin-key-0123456789";
    public const string TokenSecret = "dashboard-test-token-secret-0123456789abcdef";
    public const int SampleIntervalMs = 100;
    public const int MaxViewers = 3;

    private readonly TemporaryDirectory _directory = new();

    public SiloProcess Silo { get; private set; } = null!;

    public LedgerApi Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Silo = SiloProcess.Start(_directory.Path, new Dictionary<string, string>
        {
            ["Grid__Auth__AdminKey"] = AdminKey,
            ["Grid__Auth__TokenSecret"] = TokenSecret,
            ["Grid__Storage__DataDirectory"] = _directory.Combine("data"),
            ["Grid__Dashboard__SampleIntervalMs"] = SampleIntervalMs.ToString(CultureInfo.InvariantCulture),
            ["Grid__Dashboard__MaxViewers"] = MaxViewers.ToString(CultureInfo.InvariantCulture),
            ["Grid__RateLimits__FailedKeysPerSecond"] = "10000",
            ["Grid__RateLimits__FailedKeyBurst"] = "10000",
        });
        await Silo.WaitReadyAsync();
        Api = new LedgerApi(Silo.Http, AdminKey);
    }

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        _directory.Dispose();
    }
}
