using System.Diagnostics.CodeAnalysis;

namespace Grid.Stripe.Webhooks;

/// <summary>
/// The outcome of checking a delivery's signature: verified, with the signed timestamp and the position of the
/// secret that matched in the configured list (never the secret itself), or refused with a reason.
/// </summary>
public sealed record StripeSignatureOutcome
{
    private StripeSignatureOutcome(StripeSignatureFailure? failure, DateTimeOffset? timestamp, int? secretIndex, string detail)
    {
        Failure = failure;
        Timestamp = timestamp;
        SecretIndex = secretIndex;
        Detail = detail;
    }

    /// <summary>Why the delivery was refused, when not <see cref="IsVerified"/>.</summary>
    public StripeSignatureFailure? Failure { get; }

    /// <summary>
    /// The header's <c>t</c>: when verified, the time Stripe signed the delivery; when refused for the tolerance,
    /// the time it claims (null if beyond what a date can hold).
    /// </summary>
    public DateTimeOffset? Timestamp { get; }

    /// <summary>When verified, the index in the configured secrets of the first one whose signature matched.</summary>
    public int? SecretIndex { get; }

    /// <summary>A sentence for logs and problem details; it never holds a secret or a signature.</summary>
    public string Detail { get; }

    [MemberNotNullWhen(true, nameof(Timestamp), nameof(SecretIndex))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool IsVerified => Failure is null;

    public static StripeSignatureOutcome Verified(DateTimeOffset timestamp, int secretIndex) =>
        new(null, timestamp, secretIndex, $"verified with secret #{secretIndex}, signed at {timestamp:O}");

    public static StripeSignatureOutcome Refused(StripeSignatureFailure failure, string detail, DateTimeOffset? timestamp = null) =>
        new(failure, timestamp, null, detail);

    public override string ToString() => IsVerified ? Detail : $"{Failure}: {Detail}";
}
