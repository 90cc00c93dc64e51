using Grid.Contracts.Payments;

namespace Grid.Gateway.Payments;

/// <summary>A card event and the payment id the event itself names (client_reference_id or metadata), if any.</summary>
internal sealed record TranslatedEvent(CardPaymentEvent Event, string? PaymentId);
