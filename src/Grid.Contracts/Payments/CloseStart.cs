namespace Grid.Contracts.Payments;

/// <summary>A close under way: its own token (to end it by) and every payment whose session it must expire.</summary>
public sealed record CloseStart(string Token, IReadOnlyList<string> PaymentIds);
