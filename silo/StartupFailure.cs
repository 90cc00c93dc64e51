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
        // TimeSpan fails with a FormatException inside; integers with an ArgumentException around one.
        InvalidOperationException binding when IsFormatFailure(binding.InnerException) && binding.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase) => binding.Message,
        _ => null,
    };

    private static bool IsFormatFailure(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is FormatException)
            {
                return true;
            }
        }

        return false;
    }
}
