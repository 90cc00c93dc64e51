namespace Grid.Chain.Siwe;

/// <summary>Where and why a text is not an EIP-4361 message.</summary>
/// <param name="Line">1-based line of the text the problem is on.</param>
/// <param name="Field">The part of the message at fault, one of <see cref="SiweField"/>'s names.</param>
/// <param name="Problem">What is wrong, in English.</param>
public sealed record SiweParseError(int Line, string Field, string Problem)
{
    public override string ToString() => $"line {Line} ({Field}): {Problem}";
}
