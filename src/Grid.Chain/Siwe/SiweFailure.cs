namespace Grid.Chain.Siwe;

/// <summary>A refused sign-in: the reason, its stable code, the message field at fault if any, and a detail for people.</summary>
/// <param name="Reason">Why the sign-in was refused.</param>
/// <param name="Field">The field at fault (one of <see cref="SiweField"/>'s names), or null when no single field is.</param>
/// <param name="Detail">What exactly was wrong, in English; says nothing a client could not see in its own request.</param>
public sealed record SiweFailure(SiweFailureReason Reason, string? Field, string Detail)
{
    public const string MalformedCode = "siwe_malformed";
    public const string DomainMismatchCode = "siwe_domain_mismatch";
    public const string UriMismatchCode = "siwe_uri_mismatch";
    public const string ChainNotAllowedCode = "siwe_chain_not_allowed";
    public const string IssuedInFutureCode = "siwe_issued_in_future";
    public const string ExpiredCode = "siwe_expired";
    public const string NotYetValidCode = "siwe_not_yet_valid";
    public const string BadSignatureCode = "siwe_bad_signature";
    public const string NonceInvalidCode = "siwe_nonce_invalid";

    /// <summary>The stable, machine-readable code of <see cref="Reason"/>, e.g. "siwe_expired".</summary>
    public string Code => Reason switch
    {
        SiweFailureReason.Malformed => MalformedCode,
        SiweFailureReason.DomainMismatch => DomainMismatchCode,
        SiweFailureReason.UriMismatch => UriMismatchCode,
        SiweFailureReason.ChainNotAllowed => ChainNotAllowedCode,
        SiweFailureReason.IssuedInFuture => IssuedInFutureCode,
        SiweFailureReason.Expired => ExpiredCode,
        SiweFailureReason.NotYetValid => NotYetValidCode,
        SiweFailureReason.BadSignature => BadSignatureCode,
        SiweFailureReason.NonceInvalid => NonceInvalidCode,
        _ => throw new InvalidOperationException($"No code for {Reason}."),
    };

    public override string ToString() => Field is null ? $"{Code}: {Detail}" : $"{Code} ({Field}): {Detail}";
}
