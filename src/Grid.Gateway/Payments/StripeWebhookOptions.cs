using Microsoft.Extensions.Options;

namespace Grid.Gateway.Payments;

/// <summary>
/// <c>Grid:Stripe:WebhookSecrets</c>: the endpoint's signing secrets (<c>whsec_...</c>). Several may be active
/// while a secret is rolled; a delivery signed with any of them is accepted. From configuration only.
/// </summary>
public sealed class StripeWebhookOptions
{
    public const string SectionName = "Grid:Stripe";

    public List<string> WebhookSecrets { get; set; } = [];

    /// <summary>How far a delivery's signed time may be from now, either way.</summary>
    public TimeSpan Tolerance { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Whether this grid's Stripe account is in live mode: from <c>Grid:Stripe:SecretKey</c>'s prefix unless set. An event
    /// of the other mode is never one of its payments and is not acted on; null checks nothing.
    /// </summary>
    public bool? LiveMode { get; set; }

    /// <summary>
    /// Throws <see cref="OptionsValidationException"/> for a tolerance the verifier cannot use:
    /// caught at start-up, not by the first delivery's 500 (every webhook would fail until someone noticed).
    /// </summary>
    public void Validate()
    {
        if (Tolerance < TimeSpan.FromSeconds(1) || Tolerance > TimeSpan.FromHours(1))
        {
            throw new OptionsValidationException(
                SectionName, typeof(StripeWebhookOptions), [$"{SectionName}:Tolerance must be from 00:00:01 to 01:00:00 (was {Tolerance})."]);
        }
    }
}
