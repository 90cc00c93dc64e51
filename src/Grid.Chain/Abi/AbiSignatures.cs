using System.Text;
using Grid.Chain.Crypto;
using Grid.Chain.Primitives;

namespace Grid.Chain.Abi;

/// <summary>
/// Function selectors and event topics from canonical signatures such as "transfer(address,uint256)": the
/// name, then the parameter types in parentheses, comma-separated, without spaces or parameter names.
/// </summary>
public static class AbiSignatures
{
    /// <summary>Length of a function selector in bytes.</summary>
    public const int SelectorLength = 4;

    /// <summary>The first 4 bytes of keccak256 of the signature, e.g. 0xa9059cbb for "transfer(address,uint256)".</summary>
    public static byte[] FunctionSelector(string signature) => Keccak256.Hash(Canonical(signature))[..SelectorLength];

    /// <summary>keccak256 of the event signature: topic 0 of every log the event emits (anonymous events aside).</summary>
    public static Hash32 EventTopic(string signature) => Hash32.FromBytes(Keccak256.Hash(Canonical(signature)));

    // A space or a parameter name hashes to a different selector without any error, so both are refused here.
    private static byte[] Canonical(string signature)
    {
        ArgumentException.ThrowIfNullOrEmpty(signature);
        var open = signature.IndexOf('(', StringComparison.Ordinal);
        if (open <= 0 || !signature.EndsWith(')'))
        {
            throw new ArgumentException($"'{signature}' is not a canonical signature: it must be a name followed by the parameter types in parentheses.", nameof(signature));
        }

        foreach (var c in signature)
        {
            if (char.IsWhiteSpace(c))
            {
                throw new ArgumentException($"'{signature}' is not a canonical signature: it must have no spaces or parameter names.", nameof(signature));
            }
        }

        return Encoding.ASCII.GetBytes(signature);
    }
}
