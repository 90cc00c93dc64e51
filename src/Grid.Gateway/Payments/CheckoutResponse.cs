namespace Grid.Gateway.Payments;

/// <summary>API.md: 201 <c>{paymentId, checkoutUrl}</c>, plus what the payer is buying.</summary>
internal sealed record CheckoutResponse(string PaymentId, string CheckoutUrl, string Status, long Credits, long AmountCents, string Currency);
