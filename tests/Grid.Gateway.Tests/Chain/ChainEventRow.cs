using System.Globalization;

namespace Grid.Gateway.Tests.Chain;

/// <summary>A row of processed_events; its event id is <c>{chain}:{tx}:{ordinal}:{type}:{generation}</c>.</summary>
public sealed record ChainEventRow(string EventId, string Type, string PaymentId, string Transaction)
{
    public int Generation => int.Parse(EventId[(EventId.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
}
