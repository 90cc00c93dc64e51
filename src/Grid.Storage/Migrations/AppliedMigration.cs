namespace Grid.Storage.Migrations;

/// <summary>A row of schema_migrations: a step that has been applied, and when.</summary>
public sealed record AppliedMigration(int Version, string Name, DateTimeOffset AppliedAt);
