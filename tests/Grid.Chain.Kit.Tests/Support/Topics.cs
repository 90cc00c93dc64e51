namespace Grid.Chain.Kit.Tests.Support;

/// <summary>How indexed arguments appear as log topics.</summary>
internal static class Topics
{
    public static string Of(string address) => AbiWord.Address(address).ToHex();

    public static string Of(byte[] bytes32) => Hex.Data(bytes32);
}
