namespace Grid.Chain.Siwe;

/// <summary>A text that is not an EIP-4361 message, with the line and field at fault.</summary>
public sealed class SiweFormatException : FormatException
{
    public SiweFormatException(SiweParseError error)
        : base($"Not a sign-in with Ethereum message: {error}.")
    {
        Error = error;
    }

    public SiweParseError Error { get; }
}
