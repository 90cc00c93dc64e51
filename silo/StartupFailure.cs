using Grid.Storage;
using Microsoft.Extensions.Options;

namespace Grid.Silo;

/// <summary>Start-up errors that are the operator's settings, not bugs: reported as one line, no stack trace.</summary>
internal static class StartupFailure
{
    public static string? Describe(Exception error) => error switch
    {
        StorageConfigurationException storage => storage.Message,
        OptionsValidationException options => string.Join(" ", options.Failures),
        // The configuration binder names the key it could not convert, e.g. 'Grid:Runtime:ResponseTimeout'.
        InvalidOperationException { InnerException: FormatException } binding when binding.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase) => binding.Message,
        _ => null,
    };
}
