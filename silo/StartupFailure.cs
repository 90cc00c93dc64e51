using Grid.Storage;
using Grid.Stripe.Api;
using Microsoft.Extensions.Options;

namespace Grid.Silo;

/// <summary>Start-up errors that are the operator's settings, not bugs: reported as one line, no stack trace.</summary>
internal static class StartupFailure
{
    public static string? Describe(Exception error) => error switch
    {
        StorageConfigurationException storage => storage.Message,
        OptionsValidationException options => string.Join(" ", options.Failures),
        StripeSettingsException stripe => stripe.Message,
        // The configuration binder names the key it could not convert, e.g. 'Grid:Runtime:ResponseTimeout'.
        // TimeSpan fails with a FormatException inside (an OverflowException past its range); integers with an
        // ArgumentException around one.
        InvalidOperationException binding when IsConversionFailure(binding.InnerException) && binding.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase) => binding.Message,
        // Kestrel names the address; the setting is the silo's URLs.
        IOException bind when bind.Message.StartsWith("Failed to bind to address", StringComparison.Ordinal) =>
            $"{bind.Message} Set the gateway's address with --urls or ASPNETCORE_URLS (Grid:Cluster:Endpoint for the cluster port).",
        _ => null,
    };

    private static bool IsConversionFailure(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is FormatException or OverflowException)
            {
                return true;
            }
        }

        return false;
    }
}
