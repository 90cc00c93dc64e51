namespace Grid.Storage;

/// <summary>The database engine behind a <see cref="GridDatabase"/>.</summary>
public enum StorageProvider
{
    Sqlite,
    Postgres,
}
