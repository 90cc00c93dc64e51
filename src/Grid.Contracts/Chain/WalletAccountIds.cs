namespace Grid.Contracts.Chain;

/// <summary>
/// A wallet's own guest account: <c>wallet-</c> and the address in lower-case hex. Derived, so every silo that opens
/// it for the same wallet meets the same account grain. The prefix is refused to callers creating accounts.
/// </summary>
public static class WalletAccountIds
{
    public const string Prefix = "wallet-";

    /// <summary>The guest account of <paramref name="address"/> (0x and 40 hex digits, any case).</summary>
    public static string For(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Length != 42 || !address.StartsWith("0x", StringComparison.Ordinal) || address.AsSpan(2).ContainsAnyExcept("0123456789abcdefABCDEF"))
        {
            throw new ArgumentException("Not an address.", nameof(address));
        }

        return Prefix + address[2..].ToLowerInvariant();
    }
}
