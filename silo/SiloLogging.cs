using Serilog;
using Serilog.Events;

namespace Grid.Silo;

/// <summary>Serilog from the "Serilog" configuration section, always with a console sink.</summary>
internal static class SiloLogging
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    public static Serilog.Core.Logger Create(IConfiguration configuration) =>
        new LoggerConfiguration()
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .Filter.ByExcluding(IsStartFailureReportedElsewhere)
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .CreateLogger();

    /// <summary>
    /// The host logs a failed start with its stack trace before the exception reaches Program, which says a settings
    /// error in one line (a port in use, say): that one line is the report. Other failures keep the host's log.
    /// </summary>
    private static bool IsStartFailureReportedElsewhere(LogEvent logEvent) =>
        logEvent.Exception is { } error
        && logEvent.Properties.TryGetValue("SourceContext", out var source)
        && source is ScalarValue { Value: HostCategory }
        && StartupFailure.Describe(error) is not null;
}
