namespace Grid.Stripe.Webhooks;

/// <summary>Why a webhook delivery's <c>Stripe-Signature</c> was refused.</summary>
public enum StripeSignatureFailure
{
    /// <summary>No webhook secret is configured, or every configured one is blank: nothing can be verified.</summary>
    NoSecretConfigured,

    /// <summary>The request has no <c>Stripe-Signature</c> header, or an empty one.</summary>
    MissingHeader,

    /// <summary>The header is longer than <see cref="StripeSignatureVerifier.MaxHeaderLength"/> characters.</summary>
    HeaderTooLarge,

    /// <summary>The header is not a list of <c>key=value</c> items with exactly one decimal <c>t</c>.</summary>
    MalformedHeader,

    /// <summary>The header carries more than <see cref="StripeSignatureVerifier.MaxSignatures"/> <c>v1</c> signatures.</summary>
    TooManySignatures,

    /// <summary>The header has no <c>v1</c> signature (other schemes, such as <c>v0</c>, are never accepted).</summary>
    NoV1Signature,

    /// <summary>No <c>v1</c> signature is the HMAC of this body and timestamp under any configured secret.</summary>
    NoMatchingSignature,

    /// <summary>The signature matches, but its timestamp is further from now than the tolerance, in the past or in the future.</summary>
    TimestampOutsideTolerance,
}
