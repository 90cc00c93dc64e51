namespace Grid.Gateway.Tests.Support;

/// <summary>
/// A test class whose tests share a silo process of their own, on a fresh SQLite store, with an admin key and
/// the class's settings (for settings the shared <see cref="LedgerSiloFixture"/> must not have).
/// </summary>
public abstract class OwnSiloTests(string adminKey, IReadOnlyDictionary<string, string> settings) : IAsyncLifetime
{
    private readonly TemporaryDirectory _directory = new();

    protected string AdminKey { get; } = adminKey;

    protected SiloProcess Silo { get; private set; } = null!;

    protected LedgerApi Operator => new(Silo.Http, AdminKey);

    public async Task InitializeAsync()
    {
        var environment = new Dictionary<string, string>(settings)
        {
            ["Grid__Auth__AdminKey"] = AdminKey,
            ["Grid__Storage__DataDirectory"] = _directory.Combine("data"),
        };
        Silo = SiloProcess.Start(_directory.Path, environment);
        await Silo.WaitReadyAsync();
    }

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        _directory.Dispose();
    }
}
