using Grid.Runtime.Hosting;
using Grid.Silo;
using Grid.Storage;
using Serilog;

// appsettings.json sits beside the binary; relative data paths resolve against the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

Serilog.Core.Logger serilog;
try
{
    serilog = SiloLogging.Create(builder.Configuration);
}
catch (Exception invalid) when (invalid is InvalidOperationException or FormatException or ArgumentException)
{
    // No logger yet to say it with: one line on standard error, as every other start-up failure is one line.
    await Console.Error.WriteLineAsync($"Cannot start: the Serilog settings are invalid: {invalid.Message}");
    return 1;
}

using var disposeLogger = serilog;
builder.Logging.ClearProviders().AddSerilog(serilog);
var logger = serilog.ForContext("SourceContext", "Grid.Silo");

try
{
    builder.AddGridSilo();
    var app = builder.Build();
    var applied = await app.PrepareGridSiloAsync(app.Lifetime.ApplicationStopping);
    var silo = app.Services.GetRequiredService<SiloIdentity>();
    logger.Information(
        "Silo {SiloId} starting on {Provider} storage; migrations applied now: {Applied}", silo.Id, app.Services.GetRequiredService<GridDatabase>().Provider, applied);

    await app.RunAsync();
    logger.Information("Silo {SiloId} stopped; all activations deactivated", silo.Id);
    return 0;
}
catch (Exception error) when (StartupFailure.Describe(error) is { } reason)
{
    logger.Fatal("Cannot start: {Reason}", reason);
    return 1;
}

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
