namespace Grid.Chain.Siwe;

/// <summary>Why a sign-in was refused; <see cref="SiweFailure.Code"/> gives each a stable code.</summary>
public enum SiweFailureReason
{
    /// <summary>The message is not EIP-4361 text, or the signature is not 65 bytes of hex (siwe_malformed).</summary>
    Malformed,

    /// <summary>The message names another domain or scheme (siwe_domain_mismatch).</summary>
    DomainMismatch,

    /// <summary>The message's URI is not on the expected origin (siwe_uri_mismatch).</summary>
    UriMismatch,

    /// <summary>The message's chain id is not allowed (siwe_chain_not_allowed).</summary>
    ChainNotAllowed,

    /// <summary>The message says it was issued later than now, beyond the clock skew (siwe_issued_in_future).</summary>
    IssuedInFuture,

    /// <summary>The message's expiration time has passed (siwe_expired).</summary>
    Expired,

    /// <summary>The message's not-before time has not come (siwe_not_yet_valid).</summary>
    NotYetValid,

    /// <summary>The signature recovers no key, or the key of another address than the message's (siwe_bad_signature).</summary>
    BadSignature,

    /// <summary>The nonce is not one the server issued, or was used already or expired (siwe_nonce_invalid).</summary>
    NonceInvalid,
}
