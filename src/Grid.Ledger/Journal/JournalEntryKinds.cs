using System.Collections.Frozen;

namespace Grid.Ledger.Journal;

/// <summary>The wire and storage names of journal entry kinds (API.md): lower case, stable.</summary>
public static class JournalEntryKinds
{
    private static readonly FrozenDictionary<string, JournalEntryKind> ByName =
        Enum.GetValues<JournalEntryKind>().ToFrozenDictionary(Name, StringComparer.Ordinal);

    public static string Name(JournalEntryKind kind) => kind.ToString().ToLowerInvariant();

    public static JournalEntryKind Parse(string name) =>
        ByName.TryGetValue(name, out var kind) ? kind : throw new FormatException($"Unknown journal entry kind '{name}'.");
}
