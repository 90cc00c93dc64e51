using Grid.Contracts.Accounts;

namespace Grid.Gateway.Accounts;

/// <summary>A page of the journal; <c>next</c> is the <c>after</c> of the next page, null at the end.</summary>
internal sealed record JournalResponse(IReadOnlyList<EntryResponse> Entries, long? Next)
{
    public static JournalResponse From(JournalPage page) => new(page.Entries.Select(EntryResponse.From).ToArray(), page.Next);
}
