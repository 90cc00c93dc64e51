using System.Globalization;

namespace Grid.Chain.Primitives;

/// <summary>
/// Which block a JSON-RPC read is about: a block number, or one of the tags the node resolves itself.
/// <c>default(BlockTag)</c> is <see cref="Latest"/>.
/// </summary>
public readonly record struct BlockTag
{
    private readonly BlockTagKind _kind;
    private readonly ulong _number;

    private BlockTag(BlockTagKind kind, ulong number)
    {
        _kind = kind;
        _number = number;
    }

    /// <summary>The node's head block.</summary>
    public static BlockTag Latest => new(BlockTagKind.Latest, 0);

    /// <summary>The newest block the consensus layer has finalized.</summary>
    public static BlockTag Finalized => new(BlockTagKind.Finalized, 0);

    /// <summary>The newest block the consensus layer considers safe from reorgs under honest majority.</summary>
    public static BlockTag Safe => new(BlockTagKind.Safe, 0);

    /// <summary>The block number, or null for a tag.</summary>
    public ulong? BlockNumber => _kind == BlockTagKind.Number ? _number : null;

    /// <summary>The block with number <paramref name="n"/>.</summary>
    public static BlockTag Number(ulong n) => new(BlockTagKind.Number, n);

    /// <summary>The spelling as a JSON-RPC block parameter: "latest", "finalized", "safe" or a hex QUANTITY.</summary>
    public string ToRpcParameter() => _kind switch
    {
        BlockTagKind.Latest => "latest",
        BlockTagKind.Finalized => "finalized",
        BlockTagKind.Safe => "safe",
        _ => HexQuantity.Encode(_number),
    };

    public override string ToString() =>
        _kind == BlockTagKind.Number ? _number.ToString(CultureInfo.InvariantCulture) : ToRpcParameter();

    private enum BlockTagKind
    {
        Latest = 0,
        Finalized,
        Safe,
        Number,
    }
}
