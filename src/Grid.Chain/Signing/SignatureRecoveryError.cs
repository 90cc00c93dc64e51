namespace Grid.Chain.Signing;

/// <summary>Why no public key could be recovered from a signature.</summary>
public enum SignatureRecoveryError
{
    /// <summary>A key was recovered.</summary>
    None = 0,

    /// <summary>The signature is not 65 bytes (r, s, v).</summary>
    WrongLength,

    /// <summary>v is none of 27, 28, 0, 1.</summary>
    InvalidRecoveryId,

    /// <summary>r is zero or not below the curve order n.</summary>
    InvalidR,

    /// <summary>s is zero or not below the curve order n.</summary>
    InvalidS,

    /// <summary>s is in the upper half of the curve order; EIP-2 allows only the low one of the two equivalent values.</summary>
    HighS,

    /// <summary>No curve point has r as its x coordinate, or the recovered point is the point at infinity.</summary>
    NoPublicKey,
}
