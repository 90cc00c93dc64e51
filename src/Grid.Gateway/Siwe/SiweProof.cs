using Grid.Chain.Siwe;
using Grid.Gateway.Accounts;
using Grid.Gateway.Auth;
using Grid.Gateway.Problems;
using Microsoft.AspNetCore.Http;

namespace Grid.Gateway.Siwe;

/// <summary>
/// Checks a signed Sign-In with Ethereum message from a request body (<c>{message, signature}</c>) against the
/// configured domain, URI and chains and a usable server nonce. Sign-in and wallet linking both use it; each marks
/// the nonce used once it acted, so a message is good for one of them, once.
/// </summary>
internal sealed class SiweProof(SiweNonces nonces, TimeProvider time)
{
    /// <summary>The checked sign-in, or the problem to answer (400 for a malformed field, 401 with its reason, 503 when SIWE is off).</summary>
    public async Task<(SiweSignIn? SignIn, IResult? Problem)> CheckAsync(RequestBody body, AuthOptions auth, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(auth);
        if (NotConfigured(auth) is { } refused)
        {
            return (null, refused);
        }

        var message = body.RequiredString("message");
        var signature = body.RequiredString("signature");
        if (!body.IsValid)
        {
            return (null, LedgerProblems.Validation(body.Errors));
        }

        var siwe = auth.Siwe;
        var uri = new Uri(siwe.Uri!);
        var expectations = new SiweExpectations
        {
            Domain = siwe.Domain!,
            Scheme = uri.Scheme,
            Uri = uri,
            ChainIds = [.. siwe.ChainIds],
        };
        var result = await new SiweVerifier(new UsableNonceCheck(nonces), time).VerifyAsync(message, signature, expectations, cancellationToken);
        return result.Succeeded ? (result.SignIn, null) : (null, Refusal(result.Failure));
    }

    /// <summary>Spends the message's nonce; false (answer <see cref="NonceRaced"/>) when another request spent it meanwhile.</summary>
    public Task<bool> SpendAsync(SiweSignIn signIn, CancellationToken cancellationToken) =>
        nonces.TryMarkUsedAsync(signIn.Message.Nonce, cancellationToken);

    public static IResult NonceRaced() =>
        Refusal(new SiweFailure(SiweFailureReason.NonceInvalid, SiweField.Nonce, "the nonce was used meanwhile"));

    /// <summary>
    /// A message that is not EIP-4361 text is 400 naming it; a message that does not hold (wrong domain, chain,
    /// time, signer or nonce) or a signature that is no signature at all is 401, with the precise reason as
    /// <c>reason</c> and the field.
    /// </summary>
    public static IResult Refusal(SiweFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (failure.Reason == SiweFailureReason.Malformed && failure.Field != SiweField.Signature)
        {
            return LedgerProblems.Validation("message", $"message is not well formed: {failure.Detail}.");
        }

        return GridProblem.Create(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthorized, "Sign-in refused", failure.Detail + ".",
            new Dictionary<string, object?> { ["reason"] = failure.Code, ["field"] = failure.Field });
    }

    public static IResult? NotConfigured(AuthOptions auth) =>
        string.IsNullOrEmpty(auth.Siwe.Domain) || string.IsNullOrEmpty(auth.Siwe.Uri) || auth.Siwe.ChainIds.Count == 0 || string.IsNullOrEmpty(auth.TokenSecret)
            ? GridProblem.Unavailable("Sign-In with Ethereum is off: set Grid:Auth:Siwe:Domain, Grid:Auth:Siwe:Uri, Grid:Auth:Siwe:ChainIds and Grid:Auth:TokenSecret.")
            : null;
}
