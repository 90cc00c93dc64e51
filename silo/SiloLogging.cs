using Serilog;

namespace Grid.Silo;

/// <summary>Serilog from the "Serilog" configuration section, always with a console sink.</summary>
internal static class SiloLogging
{
    public static Serilog.Core.Logger Create(IConfiguration configuration) =>
        new LoggerConfiguration()
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .CreateLogger();
}
