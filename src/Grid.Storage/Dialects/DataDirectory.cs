namespace Grid.Storage.Dialects;

/// <summary>Checks the SQLite data directory at start, so a bad path fails with its setting's name, not deep inside SQLite.</summary>
internal static class DataDirectory
{
    /// <summary>Returns the full path of a directory that exists and can be written, creating it if missing.</summary>
    public static string Prepare(string? configured)
    {
        var key = StorageOptions.DataDirectoryKey;
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new StorageConfigurationException($"{key} is empty; name a directory for the SQLite file");
        }

        string path;
        try
        {
            path = Path.GetFullPath(configured);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new StorageConfigurationException($"{key} '{configured}' cannot be used: {ex.Message}", ex);
        }

        if (File.Exists(path))
        {
            throw new StorageConfigurationException($"{key} '{path}' cannot be used: it is a file");
        }

        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageConfigurationException($"{key} '{path}' cannot be created: {ex.Message}", ex);
        }

        // Permission bits do not tell the whole story (ACLs, read-only mounts, root): try a write.
        var probe = Path.Combine(path, $".write-check-{Guid.NewGuid():N}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageConfigurationException($"{key} '{path}' is not writable: {ex.Message}", ex);
        }

        return path;
    }
}
