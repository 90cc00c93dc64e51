namespace Grid.Storage.Migrations;

/// <summary>One schema step, from the embedded file Migrations/&lt;dialect&gt;/NNNN_name.sql.</summary>
public sealed record Migration(int Version, string Name, string Sql);
