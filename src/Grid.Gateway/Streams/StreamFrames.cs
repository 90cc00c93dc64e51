using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Grid.Gateway.Accounts;
using Grid.Gateway.Hosting;
using Grid.Ledger.Journal;

namespace Grid.Gateway.Streams;

/// <summary>
/// The server-sent event of a journal entry, made once per entry however many subscribers send it: an append
/// published on this silo hands the same entry objects to every stream of the account. Held weakly, so a frame
/// lives only as long as its entry.
/// </summary>
public sealed class StreamFrames
{
    private readonly ConditionalWeakTable<JournalEntry, byte[]> _frames = [];

    public ReadOnlyMemory<byte> Of(JournalEntry entry) => _frames.GetValue(entry, static e => Frame(e));

    private static byte[] Frame(JournalEntry entry)
    {
        var data = JsonSerializer.Serialize(EntryResponse.From(entry), GatewayJsonContext.Default.EntryResponse);
        return Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"id: {entry.Sequence}\nevent: entry\ndata: {data}\n\n"));
    }
}
