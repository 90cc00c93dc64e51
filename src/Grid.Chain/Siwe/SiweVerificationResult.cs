using System.Diagnostics.CodeAnalysis;

namespace Grid.Chain.Siwe;

/// <summary>The outcome of verifying a sign-in: either a <see cref="SiweSignIn"/> or a <see cref="SiweFailure"/>.</summary>
public sealed record SiweVerificationResult
{
    private SiweVerificationResult(SiweSignIn? signIn, SiweFailure? failure)
    {
        SignIn = signIn;
        Failure = failure;
    }

    /// <summary>The accepted sign-in, when <see cref="Succeeded"/>.</summary>
    public SiweSignIn? SignIn { get; }

    /// <summary>Why the sign-in was refused, when not <see cref="Succeeded"/>.</summary>
    public SiweFailure? Failure { get; }

    [MemberNotNullWhen(true, nameof(SignIn))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => SignIn is not null;

    public static SiweVerificationResult Success(SiweSignIn signIn) => new(signIn ?? throw new ArgumentNullException(nameof(signIn)), null);

    public static SiweVerificationResult Failed(SiweFailure failure) => new(null, failure ?? throw new ArgumentNullException(nameof(failure)));

    internal static SiweVerificationResult Failed(SiweFailureReason reason, string? field, string detail) => Failed(new SiweFailure(reason, field, detail));
}
