namespace Grid.Storage;

/// <summary>
/// The storage settings cannot be used. The message is one line that names the setting, so it reads
/// well as the last line a silo prints before it exits.
/// </summary>
public sealed class StorageConfigurationException : Exception
{
    public StorageConfigurationException()
    {
    }

    public StorageConfigurationException(string message)
        : base(OneLine(message))
    {
    }

    public StorageConfigurationException(string message, Exception innerException)
        : base(OneLine(message), innerException)
    {
    }

    /// <summary>Flattens a reason taken from another exception's message onto a single line.</summary>
    internal static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
