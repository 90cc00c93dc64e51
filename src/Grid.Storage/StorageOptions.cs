using Microsoft.Extensions.Configuration;

namespace Grid.Storage;

/// <summary>
/// Where the grid keeps its data: an embedded SQLite file (the default) or a PostgreSQL server.
/// A class, not a record, so that a generated ToString can never print the connection string's password.
/// </summary>
public sealed class StorageOptions
{
    public const string ProviderKey = "Grid:Storage:Provider";
    public const string ConnectionStringKey = "Grid:Storage:ConnectionString";
    public const string DataDirectoryKey = "Grid:Storage:DataDirectory";
    public const string AnnounceJournalKey = "Grid:Storage:AnnounceJournal";
    public const string AllowNewerSchemaKey = "Grid:Storage:AllowNewerSchema";

    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public const string DefaultDataDirectory = "./data";

    /// <summary>"sqlite" (embedded, one silo) or "postgres" (clusters). Case-insensitive.</summary>
    public string Provider { get; init; } = Sqlite;

    /// <summary>The Npgsql connection string; required for postgres, not used by sqlite.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>The directory that holds grid.db when the provider is sqlite; created when missing.</summary>
    public string DataDirectory { get; init; } = DefaultDataDirectory;

    /// <summary>
    /// PostgreSQL only: every journal append also notifies <see cref="JournalChannel"/>, so other silos and
    /// clients watching an account learn of new entries at once. Off by default: a NOTIFY per commit costs
    /// throughput (measured in the README); clustered silos that serve watches turn it on.
    /// </summary>
    public bool AnnounceJournal { get; init; }

    /// <summary>
    /// Start on a database whose schema has migrations this build does not know (a newer build migrated it). Off by
    /// default: such a silo may write rows the newer schema reads differently. An operator rolling back across additive
    /// migrations turns it on knowingly.
    /// </summary>
    public bool AllowNewerSchema { get; init; }

    /// <summary>Reads Grid:Storage:* from the root configuration; unset or empty values keep their defaults.</summary>
    public static StorageOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new StorageOptions
        {
            Provider = NonEmpty(configuration[ProviderKey]) ?? Sqlite,
            ConnectionString = NonEmpty(configuration[ConnectionStringKey]),
            DataDirectory = NonEmpty(configuration[DataDirectoryKey]) ?? DefaultDataDirectory,
            AnnounceJournal = NonEmpty(configuration[AnnounceJournalKey]) is { } announce && ParseFlag(AnnounceJournalKey, announce),
            AllowNewerSchema = NonEmpty(configuration[AllowNewerSchemaKey]) is { } allow && ParseFlag(AllowNewerSchemaKey, allow),
        };
    }

    private static bool ParseFlag(string key, string value) => bool.TryParse(value, out var flag)
        ? flag
        : throw new StorageConfigurationException($"{key} must be true or false, got '{value}'");

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
