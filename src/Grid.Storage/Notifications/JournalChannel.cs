using System.Globalization;

namespace Grid.Storage;

/// <summary>
/// The PostgreSQL notification channel on which every committed journal append is announced:
/// payload "account-id sequence" (the account's last sequence after the append). Account ids have no spaces.
/// </summary>
public static class JournalChannel
{
    public const string Name = "grid_journal";

    public static string Payload(string accountId, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{accountId} {sequence}");

    /// <summary>Reads a payload; false for anything that is not one.</summary>
    public static bool TryParse(string payload, out string accountId, out long sequence)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var space = payload.LastIndexOf(' ');
        accountId = space > 0 ? payload[..space] : string.Empty;
        sequence = 0;
        return space > 0 && long.TryParse(payload.AsSpan(space + 1), NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }
}
