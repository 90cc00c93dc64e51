namespace Grid.Chain.Addresses;

/// <summary>Why a text is not an Ethereum address.</summary>
public enum EthereumAddressError
{
    /// <summary>The text is a valid address.</summary>
    None = 0,

    /// <summary>The text does not start with a lower-case "0x".</summary>
    MissingPrefix,

    /// <summary>There are not exactly 40 characters after "0x".</summary>
    WrongLength,

    /// <summary>A character after "0x" is not a hexadecimal digit.</summary>
    NotHexadecimal,

    /// <summary>The digits mix upper and lower case but not as the EIP-55 checksum says.</summary>
    BadChecksum,

    /// <summary>The address is valid but not written in its EIP-55 checksummed form, where that form was required.</summary>
    NotChecksummed,
}
