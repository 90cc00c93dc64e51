namespace Grid.Stripe.Api;

/// <summary>The Stripe client's settings are wrong (an operator's setting, not a bug): its message names each problem.</summary>
public sealed class StripeSettingsException(string message) : InvalidOperationException(message);
