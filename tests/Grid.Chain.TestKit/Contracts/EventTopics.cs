using Grid.Chain.TestKit.Abi;

namespace Grid.Chain.TestKit.Contracts;

/// <summary>topic0 of the events the grid's contracts and the test contracts emit.</summary>
public static class EventTopics
{
    /// <summary>GridDeposit's <c>Deposited(address indexed payer, address indexed token, uint256 amount, bytes32 indexed ref)</c>.</summary>
    public static string Deposited { get; } = AbiCodec.EventTopic("Deposited(address,address,uint256,bytes32)");

    /// <summary>ERC-20 <c>Transfer(address indexed from, address indexed to, uint256 value)</c>.</summary>
    public static string Transfer { get; } = AbiCodec.EventTopic("Transfer(address,address,uint256)");

    /// <summary>ERC-20 <c>Approval(address indexed owner, address indexed spender, uint256 value)</c>.</summary>
    public static string Approval { get; } = AbiCodec.EventTopic("Approval(address,address,uint256)");
}
